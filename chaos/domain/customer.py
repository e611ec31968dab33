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

from chaos.domain import as_of, freshness
from chaos.domain.calibration import Calibration, CalibrationSource
from chaos.domain.features import CUSTOMER_FEATURES, check_ranges, check_values
from chaos.domain.repositories import SocioEcoRepository
from chaos.domain.scoring import ScoringModel


class NoIndicatorsForDate(Exception):
    """No complete socio-economic month dated before the contact (as-of rule): the model cannot score.

    `known_range` (first, last complete month-ends, or None for an empty table) lets callers say
    which dates would work."""

    def __init__(self, contact_date: date, known_range: tuple[date, date] | None, lag_days: int = 0):
        self.contact_date = contact_date
        self.known_range = known_range
        self.earliest_date = earliest_scorable_date(known_range, lag_days)
        if known_range is None:
            where = "the socio_eco table has no complete month"
        else:
            where = f"complete months run from {known_range[0]} to {known_range[1]}"
        super().__init__(f"no socio-economic indicators dated before {contact_date}; {where}")


def earliest_scorable_date(known_range: tuple[date, date] | None, lag_days: int) -> date | None:
    """The first contact date that can be scored, None while no month is complete."""
    return as_of.earliest_contact(known_range[0], lag_days) if known_range else None


@dataclass(frozen=True, slots=True)
class Appetence:
    """A score and what it was computed with, so an answer can be traced and reproduced."""

    appetence: float
    model_version: str
    socio_eco_date: date
    calibration: Calibration
    log_odds: float
    """The model's log-odds before calibration: appetence = calibration.probability(log_odds)."""
    inputs: Mapping[str, object] = field(repr=False, compare=False)
    """What the model was given (customer features and indicators), to explain the score."""


_NAMES = frozenset(CUSTOMER_FEATURES)


@dataclass(frozen=True, slots=True)
class Customer:
    """Validated marketing features (every name of features.CUSTOMER_FEATURES; None = unknown), each of
    its feature's kind and within its range: a customer the API would refuse cannot be built."""

    contact_date: date
    features: Mapping[str, object] = field(repr=False)

    def __post_init__(self) -> None:
        if self.features.keys() != _NAMES:  # a view compared with a set: no set built per customer
            given = set(self.features)
            missing, unknown = _NAMES - given, given - _NAMES
            raise ValueError(f"customer features: missing {sorted(missing)}, unknown {sorted(unknown)}")
        check_values(self.features, CUSTOMER_FEATURES)
        check_ranges(self.features)
        object.__setattr__(self, "features", MappingProxyType(dict(self.features)))

    def appetence(
        self,
        repository: SocioEcoRepository,
        model: ScoringModel,
        calibrations: CalibrationSource,
        max_age_days: int | None = None,
    ) -> Appetence:
        """Score with the indicators the as-of rule picks for the contact date, calibrated to the
        outcomes known before that day.

        Raises NoIndicatorsForDate when there are none, StaleIndicators when they are older than
        `max_age_days`; IndicatorsUnavailable (store down) propagates untouched: a caller must retry
        later, never receive a guessed score."""
        indicators = repository.as_of(self.contact_date, model.publication_lag_days)
        if indicators is None:
            raise NoIndicatorsForDate(self.contact_date, repository.known_range(), model.publication_lag_days)
        freshness.check(self.contact_date, indicators, max_age_days, lambda: newest(repository))
        inputs = {**self.features, **indicators.as_features()}
        log_odds = model.log_odds_one(inputs)
        calibration = calibrations.calibration(model, self.contact_date)
        return appetence(log_odds, model, indicators.date, calibration, inputs)


def newest(repository: SocioEcoRepository) -> date | None:
    """The newest complete month the store knows, for messages."""
    known = repository.known_range()
    return known[1] if known else None


def appetence(
    log_odds: object,
    model: ScoringModel,
    socio_eco_date: date,
    calibration: Calibration,
    inputs: Mapping[str, object],
) -> Appetence:
    """The served answer; a model answering anything but finite log-odds is a bug, never sent on."""
    if not (isinstance(log_odds, float | int) and not isinstance(log_odds, bool) and math.isfinite(log_odds)):
        raise ValueError(f"model {model.version} returned {log_odds!r}, not finite log-odds")
    return Appetence(
        calibration.probability(log_odds), model.version, socio_eco_date, calibration, log_odds, inputs
    )
