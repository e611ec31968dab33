"""The use cases: score one customer, score a campaign list, list and describe the models.

`ScoringService` takes its ports as arguments (a model registry, the socio-economic indicators, a
readiness check, somewhere to count what it does) and knows no framework: the HTTP routes, the
command line and the tests call the same methods, on the objects the composition root
(chaos/bootstrap.py) composes or on fakes.
"""

import logging
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Protocol

from chaos.application.model_registry import ModelRegistry
from chaos.application.stores import Stores
from chaos.domain.calibration import Calibration, CalibrationSource
from chaos.domain.campaign import Unscorable, score_campaign
from chaos.domain.customer import Appetence, Customer, NoIndicatorsForDate
from chaos.domain.freshness import DEFAULT_MAX_AGE_DAYS, age_days
from chaos.domain.performance import DayPerformance
from chaos.domain.scoring import ScoringModel
from chaos.domain.served_record import ServedScore

logger = logging.getLogger("chaos.scoring")


class ScoringMetrics(Protocol):
    """What the service reports as it works (the Prometheus metrics module, or a fake)."""

    def model_loaded(self, version: str, role: str) -> None: ...

    def scores_returned(self, version: str, scores: Iterable[float]) -> None: ...

    def campaign_scored(self, rows: int) -> None: ...

    def rows_unscored(self, reason: str, rows: int) -> None: ...

    def calibration_refreshed(self, version: str, day: date, calibration: Calibration) -> None: ...

    def socio_eco_age(self, days: int) -> None: ...

    def served_performance(self, measure: DayPerformance) -> None: ...


class ServedSink(Protocol):
    """Where served scores go (the buffer of the served record): takes them without failing."""

    def offer(self, scores: Sequence[ServedScore]) -> None: ...


@dataclass(frozen=True)
class Freshness:
    newest_month: date | None
    """None while socio_eco holds no complete month."""
    age_days: int | None
    max_age_days: int | None

    @property
    def stale(self) -> bool:
        """Scores of today are refused: the newest complete month is older than the limit."""
        return (
            self.max_age_days is not None and self.age_days is not None and self.age_days > self.max_age_days
        )


@dataclass(frozen=True)
class ScoringService:
    models: ModelRegistry
    stores: Stores
    calibrations: CalibrationSource
    metrics: ScoringMetrics
    log_customer_fields: bool = False
    """Customer fields are personal data: logged only when the configuration says so."""
    max_age_days: int | None = DEFAULT_MAX_AGE_DAYS
    """Freshness limit of the indicators behind a score (None: no limit)."""
    served: ServedSink | None = None
    """Where scores served with a contact id are recorded (None: not recorded)."""
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)

    def model(self, version: str | None) -> ScoringModel:
        """The model `version` names, else the default; UnknownModel when it cannot be served."""
        model = self.models.model(version)
        if model is not self.models.default:
            self.metrics.model_loaded(model.version, "requested")
        return model

    def score_one(
        self,
        customer: Customer,
        model: ScoringModel,
        contact_id: int | None = None,
        key_id: str | None = None,
    ) -> Appetence:
        """Raises NoIndicatorsForDate, StaleIndicators, or IndicatorsUnavailable (retry later). A
        score with a `contact_id` is recorded as served, with the `key_id` that asked."""
        self._log([customer])
        result = customer.appetence(self.stores.repository, model, self.calibrations, self.max_age_days)
        self.metrics.scores_returned(model.version, [result.appetence])
        if contact_id is not None and self.served is not None:
            self.served.offer([served_score(contact_id, customer, result, key_id, self.clock())])
        return result

    def score_campaign(
        self,
        customers: Sequence[Customer],
        model: ScoringModel,
        contact_ids: Sequence[int | None] = (),
        key_id: str | None = None,
    ) -> list[Appetence | Unscorable]:
        """Each row's appetence, or the NoIndicatorsForDate or StaleIndicators that keeps it from one
        (counted by reason); IndicatorsUnavailable when the store cannot answer. Each scored row with a
        contact id (`contact_ids`, in the rows' order) is recorded as served; an unscored one is not."""
        self._log(customers)
        results = score_campaign(
            customers, self.stores.repository, model, self.calibrations, self.max_age_days
        )
        scored = [result for result in results if isinstance(result, Appetence)]
        if scored:
            self.metrics.scores_returned(model.version, (result.appetence for result in scored))
        for reason, rows in Counter(
            unscored_reason(result) for result in results if not isinstance(result, Appetence)
        ).items():
            self.metrics.rows_unscored(reason, rows)
        self.metrics.campaign_scored(len(results))
        self._record(customers, results, contact_ids, key_id)
        return results

    def summaries(self) -> dict[str, Any]:
        return self.models.summaries()

    def describe(self, version: str) -> dict[str, Any]:
        return self.models.describe(version)

    def report(self, version: str) -> bytes:
        return self.models.report(version)

    def check_database(self) -> None:
        """Raise IndicatorsUnavailable when the indicators cannot be read right now."""
        self.stores.ping()

    def freshness(self, today: date | None = None) -> Freshness:
        """The newest complete month and its age, reported to the metrics; IndicatorsUnavailable
        when the store cannot answer."""
        known = self.stores.repository.known_range()
        if known is None:
            return Freshness(None, None, self.max_age_days)
        age = age_days(known[1], today or date.today())
        self.metrics.socio_eco_age(age)
        return Freshness(known[1], age, self.max_age_days)

    def served_performance(self) -> list[DayPerformance]:
        """The newest measures `chaos monitor` recorded, one per model version, reported to the
        metrics; IndicatorsUnavailable when the store cannot answer."""
        log = self.stores.performance
        if log is None:
            return []
        latest = log.latest()
        for measure in latest:
            self.metrics.served_performance(measure)
        return latest

    def performance_history(self, first: date) -> list[DayPerformance]:
        """Every measure `chaos monitor` recorded from `first` on; IndicatorsUnavailable when the
        store cannot answer."""
        log = self.stores.performance
        return [] if log is None else log.history(first)

    def calibration_today(self, today: date | None = None) -> Calibration:
        """The default model's calibration of today, as answers carry it (the read refreshes the
        calibration gauges); IndicatorsUnavailable when the store cannot answer."""
        return self.calibrations.calibration(self.models.default, today or date.today())

    def _record(
        self,
        customers: Sequence[Customer],
        results: Sequence[Appetence | Unscorable],
        contact_ids: Sequence[int | None],
        key_id: str | None,
    ) -> None:
        """Only what was answered as a score: an unscored row was told nothing to record."""
        if self.served is None or not any(contact_id is not None for contact_id in contact_ids):
            return
        now = self.clock()
        self.served.offer(
            [
                served_score(contact_id, customer, result, key_id, now)
                for contact_id, customer, result in zip(contact_ids, customers, results, strict=True)
                if contact_id is not None and isinstance(result, Appetence)
            ]
        )

    def _log(self, customers: Sequence[Customer]) -> None:
        if self.log_customer_fields:
            logger.info(
                "customers to score",
                extra={"customers": [{"date": c.contact_date.isoformat(), **c.features} for c in customers]},
            )


def unscored_reason(result: Unscorable) -> str:
    """What the metrics count an unscored row under."""
    return "no-indicators" if isinstance(result, NoIndicatorsForDate) else "stale-indicators"


def served_score(
    contact_id: int, customer: Customer, result: Appetence, key_id: str | None, served_at: datetime
) -> ServedScore:
    """The record of one answer, exactly as it was sent."""
    calibration = result.calibration
    return ServedScore(
        contact_id=contact_id,
        contact_date=customer.contact_date,
        model_version=result.model_version,
        calibration_until=calibration.until,
        calibration_window_days=calibration.window_days,
        calibration_shift=calibration.shift,
        calibration_slope=calibration.slope,
        calibration_offset=calibration.offset,
        calibration_stale=calibration.stale,
        log_odds=result.log_odds,
        probability=result.appetence,
        key_id=key_id,
        served_at=served_at,
    )
