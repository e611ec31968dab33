"""PostgreSQL stops under a running gunicorn, then comes back: 503 meanwhile, answers again after.

A dedicated embedded server, so that stopping it leaves the session database to the other tests.
"""

import time

import pytest
import requests

from chaos.entrypoints.web.appetence_schema import EXAMPLE_REQUEST
from chaos.infrastructure.config.settings import DatabaseSettings
from chaos.infrastructure.db.embedded import EmbeddedPostgres
from harness.network import free_port
from tests.support.served import configuration, seed


@pytest.fixture
def database(tmp_path):
    settings = DatabaseSettings(data_dir=tmp_path / "pgdata", port=free_port())
    server = EmbeddedPostgres(settings)
    server.start()
    seed(settings)
    yield server
    server.stop()


def score(server) -> requests.Response:
    return server.post("/appetence", json=EXAMPLE_REQUEST)


def test_503_while_the_database_is_down_then_answers_again_without_a_restart(
    start_server, database, trained_models
):
    server = start_server(configuration(database.settings, trained_models[0]), workers=1).wait_until_up()
    assert score(server).status_code == 200

    database.stop()
    started = time.monotonic()
    down = score(server)
    assert time.monotonic() - started < 2
    assert down.status_code == 503
    assert down.headers["Content-Type"] == "application/problem+json"
    assert int(down.headers["Retry-After"]) > 0
    assert "appetence" not in down.json()
    assert server.get("/health").status_code == 200
    assert server.get("/ready").status_code == 503

    database.start()
    restarted = time.monotonic()
    while (answer := score(server)).status_code != 200:
        assert time.monotonic() - restarted < 5, answer.text
        time.sleep(0.2)
    assert server.get("/ready").status_code == 200
    assert server.process.poll() is None
