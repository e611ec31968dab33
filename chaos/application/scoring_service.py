"""The use cases: score one customer, score a campaign list, list and describe the models.

`ScoringService` takes its ports as arguments (a model registry, the socio-economic indicators, a
readiness check, somewhere to count what it does) and knows no framework: the HTTP routes, the
command line and the tests call the same methods, on the objects `bootstrap` composes or on fakes.
"""

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from chaos.application.model_registry import ModelRegistry
from chaos.domain.campaign import score_campaign
from chaos.domain.customer import Appetence, Customer
from chaos.domain.repositories import SocioEcoRepository
from chaos.domain.scoring import ScoringModel

logger = logging.getLogger("chaos.scoring")


class ScoringMetrics(Protocol):
    """What the service reports as it works (the Prometheus metrics module, or a fake)."""

    def model_loaded(self, version: str, role: str) -> None: ...

    def scores_returned(self, version: str, scores: Iterable[float]) -> None: ...

    def campaign_scored(self, rows: int) -> None: ...


class Indicators(Protocol):
    """Where the socio-economic indicators are read, and whether that store answers now."""

    @property
    def repository(self) -> SocioEcoRepository: ...

    def ping(self) -> object:
        """Raise IndicatorsUnavailable when the store cannot answer."""


@dataclass(frozen=True)
class ScoringService:
    models: ModelRegistry
    indicators: Indicators
    metrics: ScoringMetrics
    log_customer_fields: bool = False
    """Customer fields are personal data: logged only when the configuration says so."""

    def model(self, version: str | None) -> ScoringModel:
        """The model `version` names, else the default; UnknownModel when it cannot be served."""
        model = self.models.model(version)
        if model is not self.models.default:
            self.metrics.model_loaded(model.version, "requested")
        return model

    def score_one(self, customer: Customer, model: ScoringModel) -> Appetence:
        """Raises NoIndicatorsForDate, or IndicatorsUnavailable (retry later)."""
        self._log([customer])
        result = customer.appetence(self.indicators.repository, model)
        self.metrics.scores_returned(model.version, [result.appetence])
        return result

    def score_campaign(self, customers: Sequence[Customer], model: ScoringModel) -> list[Appetence]:
        """All or nothing: raises NoIndicatorsForRows naming every row lacking indicators."""
        self._log(customers)
        results = score_campaign(customers, self.indicators.repository, model)
        if results:
            self.metrics.scores_returned(model.version, (result.appetence for result in results))
        self.metrics.campaign_scored(len(results))
        return results

    def summaries(self) -> list[dict[str, Any]]:
        return self.models.summaries()

    def describe(self, version: str) -> dict[str, Any]:
        return self.models.describe(version)

    def check_database(self) -> None:
        """Raise IndicatorsUnavailable when the indicators cannot be read right now."""
        self.indicators.ping()

    def _log(self, customers: Sequence[Customer]) -> None:
        if self.log_customer_fields:
            logger.info(
                "customers to score",
                extra={"customers": [{"date": c.contact_date.isoformat(), **c.features} for c in customers]},
            )


@dataclass(frozen=True)
class GivenIndicators:
    """A repository supplied by the caller (tests, other front ends); `ping` defaults to a cheap read."""

    repository: SocioEcoRepository
    check: Callable[[], object] | None = None

    def ping(self) -> object:
        return (self.check or self.repository.known_range)()
