"""The composition root: the one module that names the adapters and hands them to the use cases.

It sits beside the layers (as `allocation/bootstrap.py` in *Architecture Patterns with Python*), so
the application can be held to never import an adapter (tests/unit/test_layers.py). One builder per
kind of process: `web_worker` for the HTTP app (gunicorn's workers, tests on fakes), and one per job
or command, each a context manager that reaches the database when it opens and lets it go when it
closes. Nothing is built at import time, and each builder imports the adapters it wires (SQLAlchemy,
Alembic, the importer, the web schemas), so a command that needs none of them starts fast.
"""

import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from chaos.application.daily_calibration import DailyCalibration
from chaos.application.model_registry import ModelRegistry
from chaos.application.monitoring import ServedModelMonitor
from chaos.application.outcome_reports import OutcomeReports
from chaos.application.preparation import Preparation
from chaos.application.scoring_service import ScoringMetrics, ScoringService
from chaos.application.served_buffer import ServedBuffer
from chaos.application.stored_calibrations import StoredCalibrations
from chaos.application.stores import GivenStores, JobStores, Stores
from chaos.application.train_model_for_appetence import Training
from chaos.domain.calibration import CalibrationStore
from chaos.domain.model_store import ModelLoadError, ModelPublisher
from chaos.domain.performance import PerformanceLog
from chaos.domain.report_ledger import ReportLedger
from chaos.domain.reported_outcome import OutcomeBook
from chaos.domain.repositories import SocioEcoRepository
from chaos.domain.scoring import ScoringModel
from chaos.domain.served_record import ServedRecord
from chaos.infrastructure import process_id
from chaos.infrastructure.api_keys import Scope
from chaos.infrastructure.config import Settings
from chaos.infrastructure.config.watched_keys import WatchedKeys
from chaos.infrastructure.metrics import prometheus
from chaos.infrastructure.models.configured import configured_publisher, configured_reader

if TYPE_CHECKING:  # the database, import and web adapters are imported by the builders that use them
    from contextlib import AbstractContextManager

    import sqlalchemy as sa

    from chaos.entrypoints.web.request_schemas import RequestSchemas
    from chaos.infrastructure.db import lineage
    from chaos.infrastructure.demo.seeding import SeedSummary
    from chaos.infrastructure.importing import ImportReport


class Metrics(ScoringMetrics, Protocol):
    """What the service and the socio_eco reads report (the Prometheus metrics module, or a fake)."""

    def cache_lookup(self, hit: bool) -> None: ...

    def socio_eco_read(self, operation: str, seconds: float, failed: bool) -> None: ...

    def model_swapped(self, old: str, new: str) -> None: ...

    def model_refresh_failed(self, reason: str) -> None: ...

    def served_written(self, rows: int) -> None: ...

    def served_dropped(self, reason: str, rows: int) -> None: ...

    def keys_reloaded(self, result: str) -> None: ...

    def outcomes_written(self, key_id: str, statuses: Mapping[str, int]) -> None: ...

    def outcomes_refused(self, key_id: str, reasons: Mapping[str, int]) -> None: ...

    def reporting_keys(self, key_ids: Iterable[str]) -> None: ...


@dataclass(frozen=True)
class WebWorker:
    """What the HTTP app of one process serves with (entrypoints/web/app_factory.py)."""

    settings: Settings
    service: ScoringService
    reports: OutcomeReports
    schemas: "RequestSchemas"
    keys: WatchedKeys
    """The API keys, followed in the configuration file they were read from."""
    served: ServedBuffer | None = None
    """The served record's buffer (None: scores are not recorded)."""


def web_worker(
    settings: Settings,
    *,
    model: ScoringModel | None = None,
    repository: SocioEcoRepository | None = None,
    ping: Callable[[], object] | None = None,
    calibrations: CalibrationStore | None = None,
    outcomes: OutcomeBook | None = None,
    served: ServedRecord | None = None,
    performance: PerformanceLog | None = None,
    metrics: Metrics = prometheus,
    configuration: Path | None = None,
) -> WebWorker:
    """Load the default model now (ModelLoadError if it cannot be served) with its request schemas;
    the database is reached on first use, in the process that serves. `configuration` is the file
    `settings` were read from, whose `api.keys` each worker follows. Tests pass fakes (`model=`,
    `repository=`, `ping=`, `calibrations=`, `outcomes=`, `served=`, `performance=`, `metrics=`) and
    get the same wiring; with `repository=` and no `served=`, scores are not recorded."""
    from chaos.entrypoints.web.request_schemas import RequestSchemas
    from chaos.infrastructure.db.served_record import SqlServedRecord
    from chaos.infrastructure.db.worker_database import WorkerDatabase

    store = configured_reader(settings.model)  # pods only read: they never hold a signing key
    if model is None:
        model = store.load(settings.model.version)
    follow = 0 if settings.model.version else settings.model.refresh_seconds  # a pinned version stays
    schemas = RequestSchemas(settings.api.batch_max_rows)
    try:
        registry = ModelRegistry(
            model,
            store,
            settings.model.max_loaded_versions,
            follow,
            on_swap=metrics.model_swapped,
            on_refresh_failure=metrics.model_refresh_failed,
            prepare=schemas.of,  # a swapped-in champion's schemas are built before it serves
            process_id=process_id.current,
        )
    except ValueError as error:
        raise ModelLoadError(f"model {model.version} is incompatible: {error}") from error
    stores: Stores
    record: Callable[[], ServedRecord] | None = None
    if repository is None:
        database = WorkerDatabase(settings.database, lambda live: socio_eco_reads(live, settings, metrics))
        stores = database
        if served is None:
            record = lambda: SqlServedRecord(database.engine)  # noqa: E731 - built in the flushing thread
    else:
        stores = GivenStores(repository, ping, calibrations, outcomes, performance)
    if served is not None:
        record = lambda: served  # noqa: E731
    buffer = None if record is None else served_buffer(settings, record, metrics)
    stored = StoredCalibrations(
        stores, settings.calibration.cache_ttl_seconds, on_refresh=metrics.calibration_refreshed
    )
    metrics.model_loaded(model.version, "default")
    service = ScoringService(
        registry,
        stores,
        stored,
        metrics,
        settings.logging.log_customer_fields,
        settings.socio_eco.max_age_days,
        buffer,
    )
    keys = WatchedKeys(
        settings.api.grants(),
        configuration,
        settings.api.keys_check_seconds,
        metrics.keys_reloaded,
        on_grants=lambda grants: metrics.reporting_keys(
            grant.id for grant in grants if Scope.REPORT_OUTCOMES in grant.scopes
        ),
    )
    reports = OutcomeReports(
        stores,
        settings.outcomes.max_daily_reports_per_key,
        settings.outcomes.unknown_contacts,
        written=metrics.outcomes_written,
        refused=metrics.outcomes_refused,
    )
    return WebWorker(settings, service, reports, schemas, keys, buffer)


def served_buffer(settings: Settings, record: Callable[[], ServedRecord], metrics: Metrics) -> ServedBuffer:
    """The served record's buffer of one serving process, with `served.*`'s sizes."""
    section = settings.served
    return ServedBuffer(
        record,
        section.buffer_rows,
        section.flush_seconds,
        section.batch_rows,
        on_drop=metrics.served_dropped,
        on_written=metrics.served_written,
        process_id=process_id.current,
    )


def socio_eco_reads(live: SocioEcoRepository, settings: Settings, metrics: Metrics) -> SocioEcoRepository:
    """The live repository timed, then cached when `socio_eco.cache_ttl_seconds` > 0: the cache sits
    outside the measurement, so the latency histogram counts database reads only."""
    from chaos.infrastructure.db.cached_socio_eco_repository import CachedSocioEcoRepository
    from chaos.infrastructure.db.measured_socio_eco_repository import MeasuredSocioEcoRepository

    measured = MeasuredSocioEcoRepository(live, metrics.socio_eco_read)
    ttl = settings.socio_eco.cache_ttl_seconds
    return CachedSocioEcoRepository(measured, ttl, on_lookup=metrics.cache_lookup) if ttl > 0 else measured


def job_stores(engine: "sa.Engine") -> JobStores:
    from chaos.infrastructure.db.calibration_store import SqlCalibrationStore
    from chaos.infrastructure.db.contact_log import SqlContactLog
    from chaos.infrastructure.db.performance_log import SqlPerformanceLog
    from chaos.infrastructure.db.served_outcomes import SqlServedOutcomes
    from chaos.infrastructure.db.socio_eco_repository import SqlSocioEcoRepository

    return JobStores(
        SqlContactLog(engine),
        SqlSocioEcoRepository(engine),
        SqlCalibrationStore(engine),
        SqlPerformanceLog(engine),
        SqlServedOutcomes(engine),
    )


def calibration_of(settings: Settings, engine: "sa.Engine") -> DailyCalibration:
    return DailyCalibration(
        configured_reader(settings.model), job_stores(engine), settings.calibration.policy()
    )


@contextmanager
def daily_calibration(settings: Settings) -> Iterator[DailyCalibration]:
    """`chaos calibrate`: every version of the store, calibrated on the database's call log."""
    with _database(settings) as engine:
        yield calibration_of(settings, engine)


def monitor_on(settings: Settings, engine: "sa.Engine") -> ServedModelMonitor:
    """The served model measured on the database's call log (the serving install suffices)."""
    reader, stores, version = configured_reader(settings.model), job_stores(engine), settings.model.version
    max_age = settings.socio_eco.max_age_days
    return ServedModelMonitor(reader, stores, version, max_age)


@contextmanager
def served_model_monitor(settings: Settings) -> Iterator[ServedModelMonitor]:
    """`chaos monitor`: the served model (pinned, else the champion) measured on the call log."""
    with _database(settings) as engine:
        yield monitor_on(settings, engine)


@dataclass(frozen=True)
class ReportAudit:
    """What `chaos outcomes` reads and recomputes: the reports by key, and the daily calibration."""

    ledger: ReportLedger
    calibration: DailyCalibration


@contextmanager
def report_audit(settings: Settings) -> Iterator[ReportAudit]:
    """`chaos outcomes volumes` and `purge`: the reported outcomes by key, and the calibration job."""
    from chaos.infrastructure.db.report_ledger import SqlReportLedger

    with _database(settings) as engine:
        yield ReportAudit(SqlReportLedger(engine), calibration_of(settings, engine))


@contextmanager
def served_record(settings: Settings) -> Iterator[ServedRecord]:
    """`chaos served show` and `chaos served purge`: the served record on the migrated database."""
    from chaos.infrastructure.db.served_record import SqlServedRecord

    with _database(settings) as engine:
        yield SqlServedRecord(engine)


def _database(settings: Settings, keep_started: bool = False) -> "AbstractContextManager[sa.Engine]":
    """A command's migrated database; an embedded server it starts is announced on stderr and stopped
    when the command is done, unless kept (`chaos serve`)."""
    from chaos.infrastructure.db.migrated import migrated_engine

    return migrated_engine(settings, lambda line: print(f"chaos: {line}", file=sys.stderr), keep_started)


def model_publisher(settings: Settings) -> ModelPublisher:
    """`chaos models`, and what training publishes to: signing with `model.signing_key_file`."""
    return configured_publisher(settings.model)


def training_on(
    settings: Settings, engine: "sa.Engine", progress: Callable[[str], None] = lambda stage: None
) -> Training:
    """Training on the database's call log, read now (needs chaos[train])."""
    from chaos.infrastructure.training.trainer import LogisticTrainer, read_training_data

    lag = settings.socio_eco.publication_lag_days
    data = read_training_data(engine, lag, progress)
    trainer = LogisticTrainer(data, settings.calibration.policy(), settings.socio_eco.max_age_days, lag)
    return Training(configured_publisher(settings.model), trainer)


def training(settings: Settings, progress: Callable[[str], None]) -> Training:
    """`chaos train`, `chaos retrain`, `chaos backtest`: the call log read once, the database let go."""
    with _database(settings) as engine:
        return training_on(settings, engine, progress)


def preparation_on(settings: Settings, engine: "sa.Engine", say: Callable[[str], None]) -> Preparation:
    """What `chaos serve` prepares on the (migrated) database behind `engine`."""
    demo = None
    if settings.database.embedded:  # demo data is never written to an external database
        from chaos.infrastructure.demo.seeding import DemoTables

        demo = DemoTables(engine)
    return Preparation(
        configured_reader(settings.model),
        calibration_of(settings, engine),
        demo,
        partial(training_on, settings, engine),
        settings.model.version,
        say,
        monitor_on(settings, engine),
    )


@contextmanager
def preparation(settings: Settings, say: Callable[[str], None]) -> Iterator[Preparation]:
    """`chaos serve`: the database migrated (started if embedded, and left running: serve stops it when
    gunicorn ends), demo data and a champion if missing."""
    with _database(settings, keep_started=True) as engine:
        yield preparation_on(settings, engine, say)


@contextmanager
def csv_import(settings: Settings) -> Iterator[Callable[..., list["ImportReport"]]]:
    """`chaos db import`: `import_files` on the migrated database, files and options to come."""
    from chaos.infrastructure.importing import import_files

    with _database(settings) as engine:
        yield partial(import_files, engine)


def upgraded_schema(settings: Settings) -> str | None:
    """`chaos db upgrade`: the database started if embedded, its schema brought to head; the revision."""
    from chaos.infrastructure.db import schema

    with _database(settings) as engine:
        return schema.current_revision(engine)


def import_history(settings: Settings) -> list["lineage.Entry"]:
    """`chaos db history`: every import recorded, newest first."""
    from chaos.infrastructure.db import lineage

    with _database(settings) as engine:
        return lineage.history(engine)


def seeded_demo(
    settings: Settings, rows: int, seed: int, force: bool, say: Callable[[str], None]
) -> "SeedSummary":
    """`chaos db seed-demo`: the tables' content replaced by demo data (needs chaos[demo]);
    RealDataPresent when they hold imported rows, unless `force`."""
    from chaos.infrastructure.demo.seeding import seed_demo

    with _database(settings) as engine:
        say(f"generating {rows} demo contacts (seed {seed})")
        return seed_demo(engine, rows=rows, seed=seed, force=force)


def schema_revisions(settings: Settings) -> tuple[str | None, str | None]:
    """The database's schema revision and this install's head, without migrating anything;
    sqlalchemy's OperationalError when the database cannot be reached."""
    from chaos.infrastructure.db import schema
    from chaos.infrastructure.db.engine import create_engine

    engine = create_engine(settings.database)
    try:
        return schema.current_revision(engine), schema.head_revision()
    finally:
        engine.dispose()
