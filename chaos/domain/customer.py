"""A customer about to be called, and how their appetence is obtained.

The customer knows only their own marketing features and the contact date; the month's
indicators come from the `SocioEcoRepository` port (which applies the as-of rule) and the score
from the `ScoringModel` port, both passed in so that nothing here touches a database or a file.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from chaos.domain.features import CUSTOMER_FEATURES, check_values
from chaos.domain.repositories import SocioEcoRepository
from chaos.domain.scoring import ScoringModel


class NoIndicatorsForDate(Exception):
    """No complete socio-economic month at or before the contact's month: the model cannot score.

    `known_range` (first, last complete month-ends, or None for an empty table) lets callers say
    which dates would work."""

    def __init__(self, contact_date: date, known_range: tuple[date, date] | None):
        self.contact_date = contact_date
        self.known_range = known_range
        if known_range is None:
            where = "the socio_eco table has no complete month"
        else:
            where = f"complete months run from {known_range[0]} to {known_range[1]}"
        super().__init__(f"no socio-economic indicators at or before the month of {contact_date}; {where}")

    @property
    def earliest_date(self) -> date | None:
        return earliest_scorable_date(self.known_range)


def earliest_scorable_date(known_range: tuple[date, date] | None) -> date | None:
    """The first contact date that can be scored: any day of the first known month."""
    return known_range[0].replace(day=1) if known_range else None


@dataclass(frozen=True, slots=True)
class Appetence:
    """A score and what it was computed with, so an answer can be traced and reproduced."""

    appetence: float
    model_version: str
    socio_eco_date: date


@dataclass(frozen=True, slots=True)
class Customer:
    """Validated marketing features (every name of features.CUSTOMER_FEATURES; None = unknown)."""

    contact_date: date
    features: Mapping[str, object] = field(repr=False)

    def __post_init__(self) -> None:
        given = set(self.features)
        if given != set(CUSTOMER_FEATURES):
            missing, unknown = set(CUSTOMER_FEATURES) - given, given - set(CUSTOMER_FEATURES)
            raise ValueError(f"customer features: missing {sorted(missing)}, unknown {sorted(unknown)}")
        check_values(self.features, CUSTOMER_FEATURES)
        object.__setattr__(self, "features", MappingProxyType(dict(self.features)))

    def appetence(self, repository: SocioEcoRepository, model: ScoringModel) -> Appetence:
        """Score with the indicators the as-of rule picks for the contact date.

        Raises NoIndicatorsForDate when there are none; IndicatorsUnavailable (store down)
        propagates untouched: a caller must retry later, never receive a guessed score."""
        indicators = repository.as_of(self.contact_date)
        if indicators is None:
            raise NoIndicatorsForDate(self.contact_date, repository.known_range())
        score = model.predict_one({**self.features, **indicators.as_features()})
        return Appetence(probability(score, model), model.version, indicators.date)


def probability(score: object, model: ScoringModel) -> float:
    """`score` if it is a probability; a model answering anything else is a bug, never sent on."""
    if not (isinstance(score, float | int) and math.isfinite(score) and 0 <= score <= 1):
        raise ValueError(f"model {model.version} returned {score!r}, not a probability")
    return float(score)
