"""chaos served by gunicorn from the repository against the session's PostgreSQL, as the pods serve it.

A model is trained once per session on seeded demo data; each server gets a configuration file in a
directory of its own and listens on 127.0.0.1 on a free port.
"""

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml

from chaos.bootstrap import training_on
from chaos.infrastructure.config.settings import DatabaseSettings
from chaos.infrastructure.db import schema
from chaos.infrastructure.db.engine import create_engine
from chaos.infrastructure.demo.seeding import seed_demo
from harness.network import free_port
from harness.server import ServerProcess, gunicorn_command, gunicorn_environment
from tests.support.database import model_on, settings_on
from tests.web_clients import DEMO_AUTHORIZATION

DEMO_ROWS = 4000


def seed(database: DatabaseSettings) -> None:
    engine = create_engine(database)
    try:
        schema.upgrade(engine)
        seed_demo(
            engine, rows=DEMO_ROWS, force=True
        )  # the suite's database: rows an earlier test imported are its own
    finally:
        engine.dispose()


def configuration(database: DatabaseSettings, models: Path, ttl: float = 0) -> dict:
    return {
        "database": {**database.model_dump(mode="json"), "connect_timeout_seconds": 1},
        "socio_eco": {"cache_ttl_seconds": ttl},
        "model": {"directory": str(models)},
    }


def gunicorn_server(directory: Path, configuration: dict, workers: int = 2) -> ServerProcess:
    """A gunicorn master with chaos's settings and `configuration` written in `directory`, not started;
    its requests carry the demo key (the configuration keeps the default keys)."""
    config = directory / "config.yml"
    config.write_text(yaml.safe_dump(configuration))
    port = free_port()
    environment = os.environ | gunicorn_environment(port, workers, config)
    return ServerProcess(
        gunicorn_command(),
        environment,
        directory,
        f"http://127.0.0.1:{port}",
        directory / "gunicorn.log",
        headers=DEMO_AUTHORIZATION,
    )


@pytest.fixture(scope="session")
def trained_models(tmp_path_factory, database_settings, migrated_engine) -> tuple[Path, str]:
    """A champion trained on demo data: (model directory, version)."""
    directory = tmp_path_factory.mktemp("models")
    seed(database_settings)
    settings = settings_on(database_settings, model=model_on(database_settings, directory))
    return directory, training_on(settings, migrated_engine).train(True)


@pytest.fixture
def start_server(tmp_path) -> Iterator[Callable[..., ServerProcess]]:
    """Launches servers (not waiting for them) and stops them all after the test."""
    servers: list[ServerProcess] = []

    def start(configuration: dict, workers: int = 2) -> ServerProcess:
        directory = tmp_path / f"server-{len(servers)}"
        directory.mkdir()
        servers.append(gunicorn_server(directory, configuration, workers).launch())
        return servers[-1]

    yield start
    for server in servers:
        server.stop()
