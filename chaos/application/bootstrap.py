"""The composition root: the one place where the concrete adapters are built and handed to the use cases.

The HTTP app gets its `ScoringService` here, and the command line its settings, database and model
store; tests pass fakes (`model=`, `repository=`, `ping=`, `calibrations=`, `outcomes=`, `metrics=`)
and get the same wiring around them.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Protocol

import sqlalchemy as sa

from chaos.application.calibrations import StoredCalibrations
from chaos.application.model_registry import ModelRegistry
from chaos.application.scoring_service import GivenIndicators, Indicators, ScoringMetrics, ScoringService
from chaos.domain.calibration import CalibrationStore
from chaos.domain.reported_outcome import OutcomeBook
from chaos.domain.repositories import SocioEcoRepository
from chaos.domain.scoring import ScoringModel
from chaos.infrastructure.config import Settings, load_settings
from chaos.infrastructure.db.cached_socio_eco_repository import CachedSocioEcoRepository
from chaos.infrastructure.db.measured_socio_eco_repository import MeasuredSocioEcoRepository
from chaos.infrastructure.db.migrated import migrated_engine
from chaos.infrastructure.db.worker_database import WorkerDatabase
from chaos.infrastructure.metrics import prometheus
from chaos.infrastructure.models.artifacts import ArtifactStore, ModelLoadError
from chaos.infrastructure.models.configured import configured_store


class Metrics(ScoringMetrics, Protocol):
    """What the service and the socio_eco reads report (the Prometheus metrics module, or a fake)."""

    def cache_lookup(self, hit: bool) -> None: ...

    def socio_eco_read(self, operation: str, seconds: float, failed: bool) -> None: ...

    def model_swapped(self, old: str, new: str) -> None: ...

    def model_refresh_failed(self) -> None: ...


def bootstrap(
    settings: Settings,
    *,
    model: ScoringModel | None = None,
    repository: SocioEcoRepository | None = None,
    ping: Callable[[], object] | None = None,
    calibrations: CalibrationStore | None = None,
    outcomes: OutcomeBook | None = None,
    metrics: Metrics = prometheus,
) -> ScoringService:
    """Load the default model now (ModelLoadError if it cannot be served); the database is reached
    on first use, in the process that serves."""
    store = model_store(settings)
    if model is None:
        model = store.load(settings.model.version)
    follow = 0 if settings.model.version else settings.model.refresh_seconds  # a pinned version stays
    try:
        registry = ModelRegistry(
            model,
            store,
            settings.model.max_loaded_versions,
            follow,
            on_swap=metrics.model_swapped,
            on_refresh_failure=metrics.model_refresh_failed,
        )
    except ValueError as error:
        raise ModelLoadError(f"model {model.version} is incompatible: {error}") from error
    indicators: Indicators
    if repository is None:
        indicators = WorkerDatabase(settings.database, lambda live: socio_eco_reads(live, settings, metrics))
    else:
        indicators = GivenIndicators(repository, ping, calibrations, outcomes)
    stored = StoredCalibrations(
        indicators, settings.calibration.cache_ttl_seconds, on_refresh=metrics.calibration_refreshed
    )
    metrics.model_loaded(model.version, "default")
    return ScoringService(
        registry,
        indicators,
        stored,
        metrics,
        settings.logging.log_customer_fields,
        settings.socio_eco.max_age_days,
    )


def socio_eco_reads(live: SocioEcoRepository, settings: Settings, metrics: Metrics) -> SocioEcoRepository:
    """The live repository timed, then cached when `socio_eco.cache_ttl_seconds` > 0: the cache sits
    outside the measurement, so the latency histogram counts database reads only."""
    measured = MeasuredSocioEcoRepository(live, metrics.socio_eco_read)
    ttl = settings.socio_eco.cache_ttl_seconds
    return CachedSocioEcoRepository(measured, ttl, on_lookup=metrics.cache_lookup) if ttl > 0 else measured


def settings() -> Settings:
    """The configuration of this process (ConfigurationError, naming the file and key, if unusable)."""
    return load_settings()


@contextmanager
def database(settings: Settings) -> Iterator[sa.Engine]:
    """A ready database for a command: started if embedded, schema at head, disposed afterwards."""
    with migrated_engine(settings) as engine:
        yield engine


def model_store(settings: Settings) -> ArtifactStore:
    return configured_store(settings.model)
