"""A campaign list scored at once: one indicator lookup for all its months, one model call.

All or nothing: when any customer's month has no indicators the whole list is refused, naming
every such row, so a caller never receives a list with holes or guessed scores.
"""

from collections.abc import Sequence
from datetime import date

from chaos.domain.customer import Appetence, Customer, probability
from chaos.domain.repositories import SocioEcoRepository
from chaos.domain.scoring import ScoringModel


class NoIndicatorsForRows(Exception):
    """Rows (by index) whose contact date precedes every complete socio-economic month."""

    def __init__(self, rows: dict[int, date], known_range: tuple[date, date] | None):
        self.rows = rows
        self.known_range = known_range
        super().__init__(f"no socio-economic indicators for {len(rows)} row(s)")


def score_campaign(
    customers: Sequence[Customer], repository: SocioEcoRepository, model: ScoringModel
) -> list[Appetence]:
    """Appetences in the order of `customers`; raises NoIndicatorsForRows, or IndicatorsUnavailable."""
    indicators = repository.as_of_many({customer.contact_date for customer in customers})
    found = [indicators[customer.contact_date] for customer in customers]
    picked = [row for row in found if row is not None]
    if len(picked) < len(customers):
        lacking = {
            i: c.contact_date for i, (c, row) in enumerate(zip(customers, found, strict=True)) if row is None
        }
        raise NoIndicatorsForRows(lacking, repository.known_range())
    scores = model.predict_many(
        [{**customer.features, **row.as_features()} for customer, row in zip(customers, picked, strict=True)]
    )
    if len(scores) != len(customers):
        raise ValueError(f"model {model.version} returned {len(scores)} scores for {len(customers)} rows")
    return [
        Appetence(probability(score, model), model.version, row.date)
        for score, row in zip(scores, picked, strict=True)
    ]
