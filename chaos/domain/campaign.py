"""A campaign list scored at once: one indicator lookup for all its months, one model call.

All or nothing: when any customer's date has no indicators, or indicators older than the freshness
limit, the whole list is refused, naming every such row, so a caller never receives a list with
holes, guessed scores or scores from an outdated economy.
"""

from collections.abc import Sequence
from datetime import date

from chaos.domain import freshness
from chaos.domain.calibration import CalibrationSource
from chaos.domain.customer import Appetence, Customer, appetence, earliest_scorable_date, newest
from chaos.domain.repositories import SocioEcoRepository
from chaos.domain.scoring import ScoringModel


class NoIndicatorsForRows(Exception):
    """Rows (by index) whose contact date is not after any complete socio-economic month."""

    def __init__(self, rows: dict[int, date], known_range: tuple[date, date] | None, lag_days: int = 0):
        self.rows = rows
        self.known_range = known_range
        self.earliest_date = earliest_scorable_date(known_range, lag_days)
        super().__init__(f"no socio-economic indicators for {len(rows)} row(s)")


def score_campaign(
    customers: Sequence[Customer],
    repository: SocioEcoRepository,
    model: ScoringModel,
    calibrations: CalibrationSource,
    max_age_days: int | None = None,
) -> list[Appetence]:
    """Appetences in the order of `customers`; raises NoIndicatorsForRows, StaleIndicators (rows whose
    indicators are older than `max_age_days`), or IndicatorsUnavailable."""
    indicators = repository.as_of_many(
        {customer.contact_date for customer in customers}, model.publication_lag_days
    )
    found = [indicators[customer.contact_date] for customer in customers]
    picked = [row for row in found if row is not None]
    if len(picked) < len(customers):
        lacking = {
            i: c.contact_date for i, (c, row) in enumerate(zip(customers, found, strict=True)) if row is None
        }
        raise NoIndicatorsForRows(lacking, repository.known_range(), model.publication_lag_days)
    freshness.check(
        {
            i: (customer.contact_date, row)
            for i, (customer, row) in enumerate(zip(customers, picked, strict=True))
        },
        max_age_days,
        lambda: newest(repository),
    )
    inputs = [
        {**customer.features, **row.as_features()} for customer, row in zip(customers, picked, strict=True)
    ]
    log_odds = model.log_odds_many(inputs)
    if len(log_odds) != len(customers):
        raise ValueError(f"model {model.version} returned {len(log_odds)} scores for {len(customers)} rows")
    days = calibrations.calibrations(model, sorted(indicators))
    return [
        appetence(odds, model, row.date, days[customer.contact_date], features)
        for odds, row, customer, features in zip(log_odds, picked, customers, inputs, strict=True)
    ]
