"""A campaign list scored at once: one indicator lookup for all its months, one model call.

A list comes back whole: a row chaos cannot score for lack of data (no complete month before its
date, or indicators older than the freshness limit) gets, in its place, the very exception scoring
it alone would raise, while the other rows are scored. A row is never given a guessed score nor one
from an outdated economy; invalid rows are the caller's to fix and never reach this function.
"""

from collections.abc import Sequence
from datetime import date

from chaos.domain import freshness
from chaos.domain.calibration import CalibrationSource
from chaos.domain.customer import Appetence, Customer, NoIndicatorsForDate, appetence
from chaos.domain.freshness import StaleIndicators
from chaos.domain.repositories import SocioEcoRepository
from chaos.domain.scoring import ScoringModel
from chaos.domain.socio_eco import SocioEcoIndicators

Unscorable = NoIndicatorsForDate | StaleIndicators
"""Why a valid row has no score: data chaos lacks, not a fault of the caller's."""


def score_campaign(
    customers: Sequence[Customer],
    repository: SocioEcoRepository,
    model: ScoringModel,
    calibrations: CalibrationSource,
    max_age_days: int | None = None,
) -> list[Appetence | Unscorable]:
    """Each customer's appetence, or why it has none, in the order of `customers`;
    IndicatorsUnavailable when the store cannot answer."""
    indicators = repository.as_of_many(
        {customer.contact_date for customer in customers}, model.publication_lag_days
    )
    found = [indicators[customer.contact_date] for customer in customers]
    unscorable = _unscorable(customers, found, repository, model, max_age_days)
    picked = [
        (customer, row)
        for index, (customer, row) in enumerate(zip(customers, found, strict=True))
        if row is not None and index not in unscorable
    ]
    scored = iter(_scored(picked, model, calibrations))
    return [unscorable[index] if index in unscorable else next(scored) for index in range(len(customers))]


def _unscorable(
    customers: Sequence[Customer],
    found: list[SocioEcoIndicators | None],
    repository: SocioEcoRepository,
    model: ScoringModel,
    max_age_days: int | None,
) -> dict[int, Unscorable]:
    """By row index: NoIndicatorsForDate, or StaleIndicators naming that row alone. The known range
    is read only when a row needs it."""
    lacking = [index for index, row in enumerate(found) if row is None]
    stale = freshness.stale_rows(
        {index: (customers[index].contact_date, row) for index, row in enumerate(found) if row is not None},
        max_age_days,
    )
    if not lacking and not stale:
        return {}
    known = repository.known_range()
    newest = known[1] if known else None
    unscorable: dict[int, Unscorable] = {
        index: NoIndicatorsForDate(customers[index].contact_date, known, model.publication_lag_days)
        for index in lacking
    }
    for index, staleness in stale.items():
        unscorable[index] = StaleIndicators({index: staleness}, max_age_days or 0, newest)
    return unscorable


def _scored(
    rows: list[tuple[Customer, SocioEcoIndicators]],
    model: ScoringModel,
    calibrations: CalibrationSource,
) -> list[Appetence]:
    if not rows:
        return []
    inputs = [{**customer.features, **row.as_features()} for customer, row in rows]
    log_odds = model.log_odds_many(inputs)
    if len(log_odds) != len(rows):
        raise ValueError(f"model {model.version} returned {len(log_odds)} scores for {len(rows)} rows")
    days: list[date] = sorted({customer.contact_date for customer, _ in rows})
    calibrated = calibrations.calibrations(model, days)
    return [
        appetence(odds, model, row.date, calibrated[customer.contact_date], features)
        for odds, (customer, row), features in zip(log_odds, rows, inputs, strict=True)
    ]
