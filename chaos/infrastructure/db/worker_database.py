"""The database of one serving process: a pooled engine, the socio_eco repository, the stored
calibrations, the book of reported outcomes and the log of measured performance over it, a ping.

Built on first use, inside the process that serves requests: with gunicorn's preload_app the app is
created in the master before forking, and a connection pool inherited across a fork would share
sockets between workers.
"""

import threading
from collections.abc import Callable

import sqlalchemy as sa

from chaos.domain.calibration import CalibrationStore
from chaos.domain.performance import PerformanceLog
from chaos.domain.reported_outcome import OutcomeBook
from chaos.domain.repositories import SocioEcoRepository
from chaos.infrastructure.config.settings import DatabaseSettings
from chaos.infrastructure.db.calibration_store import SqlCalibrationStore
from chaos.infrastructure.db.engine import create_engine
from chaos.infrastructure.db.outcome_book import SqlOutcomeBook
from chaos.infrastructure.db.performance_log import SqlPerformanceLog
from chaos.infrastructure.db.request_reads import fetch
from chaos.infrastructure.db.socio_eco_repository import SqlSocioEcoRepository


class WorkerDatabase:
    """PostgreSQL from the settings; `decorate` wraps the live repository (measurement, cache)."""

    def __init__(
        self,
        settings: DatabaseSettings,
        decorate: Callable[[SocioEcoRepository], SocioEcoRepository] = lambda live: live,
    ):
        self.settings = settings
        self.decorate = decorate
        self._lock = threading.Lock()  # threaded workers: one pool per process, however many race
        self._built: (
            tuple[sa.Engine, SocioEcoRepository, CalibrationStore, OutcomeBook, PerformanceLog] | None
        ) = None

    @property
    def engine(self) -> sa.Engine:
        return self._build()[0]

    @property
    def repository(self) -> SocioEcoRepository:
        return self._build()[1]

    @property
    def calibrations(self) -> CalibrationStore:
        return self._build()[2]

    @property
    def outcomes(self) -> OutcomeBook:
        return self._build()[3]

    @property
    def performance(self) -> PerformanceLog:
        return self._build()[4]

    def ping(self) -> None:
        """`SELECT 1` within the engine's connect/statement/pool timeouts; IndicatorsUnavailable if not.
        A read of the request path (`fetch`): a pooled connection a restarted server killed is
        retried on a fresh one, so a worker's first probe after a restart does not fail."""
        fetch(self.engine, lambda connection: connection.execute(sa.text("SELECT 1")))

    def _build(self) -> tuple[sa.Engine, SocioEcoRepository, CalibrationStore, OutcomeBook, PerformanceLog]:
        built = self._built
        if built is not None:
            return built  # built once and never replaced: every request after the first reads it unlocked
        with self._lock:
            if self._built is None:
                engine = create_engine(self.settings, request_path=True)
                repository = self.decorate(SqlSocioEcoRepository(engine))
                stores = (
                    SqlCalibrationStore(engine),
                    SqlOutcomeBook(engine, self.settings.report_lock_timeout_ms),
                    SqlPerformanceLog(engine),
                )
                self._built = engine, repository, *stores
            return self._built
