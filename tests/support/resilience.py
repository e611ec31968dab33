"""The resilience suite's world: a PostgreSQL of its own (so that its faults and roles touch no other
test) with demo data, a trained model and the documented serving role, and gunicorn behind a
FaultProxy."""

import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml

from chaos.application.daily_calibration import default_days
from chaos.bootstrap import calibration_of, training_on
from chaos.infrastructure.api_keys import key_hash, new_key
from chaos.infrastructure.config.settings import (
    ApiSettings,
    DatabaseSettings,
    ModelSettings,
    Settings,
    SocioEcoSettings,
)
from chaos.infrastructure.db import schema
from chaos.infrastructure.db.embedded import SUPERUSER, EmbeddedPostgres
from chaos.infrastructure.db.engine import create_engine
from chaos.infrastructure.demo.seeding import seed_demo
from chaos.infrastructure.models.signing import public_text
from harness.fault_proxy import FaultProxy
from harness.network import free_port
from harness.pod.edge_proxy import nginx
from harness.pod.shape import Pod, local_store, running_pod
from harness.publisher import PUBLISHER, publisher_settings
from harness.server import ServerProcess, gunicorn_command, gunicorn_environment

ROLE_DOC = Path(__file__).resolve().parents[2] / "docs" / "database-role.md"
SERVING_ROLE = "chaos_reader"
DEMO_ROWS = 3000
WORKERS = 2

FAST_FAILING = {
    "connect_timeout_seconds": 1,
    "statement_timeout_ms": 500,
    "pool_timeout_seconds": 1.0,
}
"""Database timeouts of the served app: short, so that every fault is felt within a second or two."""
API_KEY = new_key()
AUTHORIZATION = {"Authorization": f"Bearer {API_KEY}"}


def role_sql() -> str:
    """The SQL block of docs/database-role.md: the tests run what operators are told to run."""
    (block,) = re.findall(r"```sql\n(.*?)```", ROLE_DOC.read_text(), flags=re.DOTALL)
    return block


@dataclass(frozen=True)
class Database:
    settings: DatabaseSettings  # the owner role
    owner: sa.Engine
    models: Path


@pytest.fixture(scope="session")
def resilience_database(tmp_path_factory) -> Iterator[Database]:
    root = tmp_path_factory.mktemp("resilience")
    # Not under pytest's base directory: a concurrent pytest run re-restricts that directory, which
    # the server, running as another user when the tests run as root, must traverse.
    pgdata = Path(tempfile.mkdtemp(prefix="chaos-resilience-"))
    settings = DatabaseSettings(data_dir=pgdata / "data", port=free_port())
    server = EmbeddedPostgres(settings)
    server.start()
    owner = create_engine(settings)
    try:
        schema.upgrade(owner)
        seed_demo(owner, rows=DEMO_ROWS)
        administrator = create_engine(settings.model_copy(update={"user": SUPERUSER}))
        with administrator.begin() as connection:
            connection.exec_driver_sql(role_sql())
        administrator.dispose()
        models = root / "models"
        # served on an external database, where the demo signing key is refused
        published = ModelSettings(**publisher_settings(models, root / "signing.pem"))
        served = Settings(database=settings, model=published)
        training_on(served, owner).train(True)
        calibrating = create_engine(settings)  # its own connections: closing them flushes their write counts
        calibration_of(served, calibrating).run(default_days(date.today()), lambda stage: None)
        calibrating.dispose()
        yield Database(settings, owner, models)
    finally:
        owner.dispose()
        server.stop()
        shutil.rmtree(pgdata, ignore_errors=True)


@pytest.fixture
def proxy(resilience_database) -> Iterator[FaultProxy]:
    """The Cloud SQL proxy's stand-in, in front of the suite's PostgreSQL."""
    target = (resilience_database.settings.host, resilience_database.settings.port)
    with FaultProxy(target) as fault_proxy:
        yield fault_proxy


@pytest.fixture
def serve(resilience_database, proxy, tmp_path) -> Iterator[Callable[..., ServerProcess]]:
    """Start servers (see `start_server`) that are stopped after the test."""
    servers: list[ServerProcess] = []

    def start(workers: int = WORKERS, **database) -> ServerProcess:
        directory = tmp_path / f"server-{len(servers)}"
        directory.mkdir()
        servers.append(ServerProcess(*_server(resilience_database, proxy, directory, workers, database)))
        return servers[-1].start()

    yield start
    for server in servers:
        server.stop()


def _server(database: Database, proxy: FaultProxy, directory: Path, workers: int, overrides: dict) -> tuple:
    """gunicorn as production runs it (the packaged settings, preloaded app, sync workers) with a config.yml
    in `directory` that points at the proxy as `chaos_reader`, reads socio_eco on every request (TTL 0)
    and fails fast; `overrides` change database settings."""
    config = directory / "config.yml"
    config.write_text(yaml.safe_dump(_settings(database, proxy, overrides)))
    port = free_port()
    env = {"PATH": "/usr/bin:/bin", **gunicorn_environment(port, workers, config)}
    return gunicorn_command(), env, directory, f"http://127.0.0.1:{port}", directory / "gunicorn.log"


@pytest.fixture(scope="module")
def steady_server(resilience_database, tmp_path_factory) -> Iterator[ServerProcess]:
    """One server behind a proxy that never misbehaves, shared by a module's tests."""
    database = resilience_database.settings
    with FaultProxy((database.host, database.port)) as steady_proxy:
        directory = tmp_path_factory.mktemp("steady")
        server = ServerProcess(*_server(resilience_database, steady_proxy, directory, WORKERS, {}))
        try:
            yield server.start()
        finally:
            server.stop()


def _settings(database: Database, proxy: FaultProxy, overrides: dict) -> dict:
    host, port = proxy.address
    settings = Settings(
        database=database.settings.model_copy(
            update={"embedded": False, "host": host, "port": port, "user": SERVING_ROLE, **FAST_FAILING}
            | overrides
        ),
        socio_eco=SocioEcoSettings(cache_ttl_seconds=0),
        model=ModelSettings(directory=database.models, public_keys=[public_text(PUBLISHER)]),
        api=ApiSettings(keys=[key_hash(API_KEY)]),
    )
    return settings.model_dump(mode="json", by_alias=True)


def fingerprint(engine: sa.Engine, ignoring: tuple[str, ...] = ()) -> tuple:
    """The tables' content and PostgreSQL's count of rows written to them, ever, but for the tables
    `ignoring` names."""
    with engine.connect() as connection:
        content = connection.execute(
            sa.text(
                "SELECT (SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) FROM socio_eco t),"
                " (SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) FROM marketing t)"
            )
        ).one()
        writes = connection.execute(
            sa.text(
                "SELECT relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_user_tables ORDER BY relname"
            )
        ).all()
    return tuple(content), tuple(tuple(row) for row in writes if row[0] not in ignoring)


def _unchanged(database, ignoring: tuple[str, ...] = ()) -> Iterator[None]:
    with database.owner.connect() as connection:
        connection.execute(sa.text("SELECT pg_stat_force_next_flush()"))
    before = fingerprint(database.owner, ignoring)
    yield
    with database.owner.connect() as connection:
        connection.execute(sa.text("SELECT pg_stat_force_next_flush()"))
    assert fingerprint(database.owner, ignoring) == before


@pytest.fixture
def untouched(resilience_database):
    """The test writes nothing to the database."""
    yield from _unchanged(resilience_database)


@pytest.fixture
def untouched_but_the_served_record(resilience_database):
    """The test writes nothing but the served record: scores answered to requests that carry a
    contact id are recorded by design (`served_score`)."""
    yield from _unchanged(resilience_database, ignoring=("served_score",))


@pytest.fixture(scope="module")
def edge_pod(resilience_database, tmp_path_factory) -> Iterator[Pod]:
    """The production pod's shape (edge, gunicorn, the proxy's stand-in) over the suite's PostgreSQL."""
    if nginx() is None:
        pytest.skip("nginx is not installed (.ci/run installs it; Debian: apt-get install nginx)")
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed (.ci/run installs it; Debian: apt-get install openssl)")
    root = tmp_path_factory.mktemp("pod")
    with running_pod(
        resilience_database.settings, local_store(resilience_database.models), [key_hash(API_KEY)], root
    ) as pod:
        yield pod
