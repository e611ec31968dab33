"""The database as the routes see it: a `SocioEcoRepository`, the calibrations computed from the
call log, and a readiness `ping`.

`WorkerDatabase` builds its pooled engine on first use, inside the process that serves requests:
with gunicorn's preload_app the app is created in the master before forking, and a connection
pool inherited across a fork would share sockets between workers.
"""

import threading
from collections.abc import Callable

import sqlalchemy as sa

from chaos.application.calibrations import LiveCalibrations, NoCallLog
from chaos.application.web.metrics import MeasuredSocioEcoRepository, cache_lookup, calibration_refreshed
from chaos.domain.calibration import CalibrationSource
from chaos.domain.repositories import ContactLog, IndicatorsUnavailable, SocioEcoRepository
from chaos.infrastructure.config import Settings
from chaos.infrastructure.db.cached_socio_eco_repository import CachedSocioEcoRepository
from chaos.infrastructure.db.contact_log import SqlContactLog
from chaos.infrastructure.db.engine import create_engine
from chaos.infrastructure.db.socio_eco_repository import SqlSocioEcoRepository

DATABASE_ERRORS = (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.TimeoutError)


class WorkerDatabase:
    """PostgreSQL from the settings, with the optional TTL cache in front of the live read."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._lock = threading.Lock()  # threaded workers: one pool per process, however many race
        self._engine: sa.Engine | None = None
        self._repository: SocioEcoRepository | None = None
        self._calibrations: CalibrationSource | None = None

    @property
    def engine(self) -> sa.Engine:
        return self._built()[0]

    @property
    def repository(self) -> SocioEcoRepository:
        return self._built()[1]

    @property
    def calibrations(self) -> CalibrationSource:
        self._built()
        return self._calibrations

    def ping(self) -> None:
        """`SELECT 1` within the engine's connect/statement/pool timeouts; IndicatorsUnavailable if not."""
        try:
            with self.engine.connect() as connection:
                connection.execute(sa.text("SELECT 1"))
        except DATABASE_ERRORS as error:
            raise IndicatorsUnavailable(str(error).splitlines()[0]) from error

    def _built(self) -> tuple[sa.Engine, SocioEcoRepository]:
        with self._lock:
            if self._engine is None:
                self._engine = create_engine(self.settings.database, request_path=True)
                live = MeasuredSocioEcoRepository(SqlSocioEcoRepository(self._engine))
                ttl = self.settings.socio_eco.cache_ttl_seconds
                cached = CachedSocioEcoRepository(live, ttl, on_lookup=cache_lookup) if ttl > 0 else None
                self._repository = cached or live
                self._calibrations = LiveCalibrations(
                    SqlContactLog(self._engine),
                    self._repository,
                    self.settings.calibration.cache_ttl_seconds,
                    on_refresh=calibration_refreshed,
                )
            return self._engine, self._repository


class GivenDatabase:
    """A repository supplied by the caller (tests, other front ends); `ping` defaults to a cheap read.
    Without a call log there are no recent outcomes: answers are not shifted, and say so."""

    def __init__(
        self,
        repository: SocioEcoRepository,
        ping: Callable[[], object] | None = None,
        contacts: ContactLog | None = None,
        calibration_ttl_seconds: float = 0,
    ):
        self.repository = repository
        self.ping = ping or repository.known_range
        self.calibrations = (
            NoCallLog()
            if contacts is None
            else LiveCalibrations(
                contacts, repository, calibration_ttl_seconds, on_refresh=calibration_refreshed
            )
        )
