"""Real gunicorn processes against real PostgreSQL, as the pods run them (DESIGN §6).

A model is trained once per session on seeded demo data; each server gets a configuration file
in a temporary directory and listens on 127.0.0.1 on a free port.
"""

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import yaml

from chaos.application.seed_demo_command import seed_demo
from chaos.application.serve_command import APP, GUNICORN_CONFIG
from chaos.application.train_model_for_appetence import train
from chaos.infrastructure.config import Settings
from chaos.infrastructure.config.settings import DatabaseSettings, ModelSettings
from chaos.infrastructure.db import schema
from chaos.infrastructure.db.engine import create_engine
from tests.conftest import free_port
from tests.web_clients import DEMO_AUTHORIZATION

DEMO_ROWS = 4000
BOOT_SECONDS = 60


def seed(database: DatabaseSettings) -> None:
    engine = create_engine(database)
    try:
        schema.upgrade(engine)
        seed_demo(engine, rows=DEMO_ROWS)
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def trained_models(tmp_path_factory, database_settings, migrated_engine) -> tuple[Path, str]:
    """A champion trained on demo data: (model directory, version)."""
    directory = tmp_path_factory.mktemp("models")
    seed(database_settings)
    settings = Settings(database=database_settings, model=ModelSettings(directory=directory))
    return directory, train(settings, champion=True, engine=migrated_engine)


class Server:
    """A gunicorn master started with the project's gunicorn settings; `url` once it answers /health."""

    def __init__(self, tmp_path: Path, configuration: dict, workers: int = 2):
        self.config_path = tmp_path / "config.yml"
        self.config_path.write_text(yaml.safe_dump(configuration))
        self.log_path = tmp_path / "gunicorn.log"
        self.url = f"http://127.0.0.1:{free_port()}"
        self.http = requests.Session()  # a caller with the demo key (the configuration keeps the default)
        self.http.headers.update(DEMO_AUTHORIZATION)
        environment = {
            **os.environ,
            "CHAOS_CONFIGURATION_PATH": str(self.config_path),
            "CHAOS_BIND": self.url.removeprefix("http://"),
            "WEB_CONCURRENCY": str(workers),
        }
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", GUNICORN_CONFIG, APP],
                env=environment,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.http.get(self.url + path, timeout=10, **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:
        return self.http.post(self.url + path, timeout=10, **kwargs)

    @property
    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_until_up(self) -> "Server":
        deadline = time.monotonic() + BOOT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn exited with {self.process.returncode}:\n{self.log}")
            try:
                if requests.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return self
            except requests.ConnectionError:
                time.sleep(0.1)
        raise AssertionError(f"gunicorn did not answer within {BOOT_SECONDS} s:\n{self.log}")

    def stop(self) -> None:
        self.http.close()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def configuration(database: DatabaseSettings, models: Path, ttl: float = 0) -> dict:
    return {
        "database": {**database.model_dump(mode="json"), "connect_timeout_seconds": 1},
        "socio_eco": {"cache_ttl_seconds": ttl},
        "model": {"directory": str(models)},
    }


@pytest.fixture
def start_server(tmp_path) -> Iterator:
    """Starts servers (not waiting for them) and stops them all after the test."""
    servers = []

    def start(configuration: dict, workers: int = 2) -> Server:
        directory = tmp_path / f"server-{len(servers)}"
        directory.mkdir()
        servers.append(Server(directory, configuration, workers))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()
