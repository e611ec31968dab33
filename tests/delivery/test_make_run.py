"""`make run` on a fresh clone, as a newcomer runs it: the install says what it does, /monitoring opens
without a key and shows the demo's measured days, the time to the first answer is printed, Ctrl-C
(SIGINT to the terminal's process group) leaves no process and no PostgreSQL running, and a second
`make run` reuses the database and the model it left."""

import os
import signal
import subprocess

import psutil
import pytest
import yaml

from chaos.entrypoints.web.appetence_schema import EXAMPLE_REQUEST
from chaos.infrastructure.api_keys import DEMO_KEY
from chaos.infrastructure.config.settings import DatabaseSettings
from chaos.infrastructure.db.embedded import EmbeddedPostgres
from harness.delivery import REPO
from harness.network import free_port
from harness.server import ServerProcess
from tests.support.installs import clean_environment

pytestmark = pytest.mark.slow


def run_until_first_score(clone, environment, log) -> ServerProcess:
    port = environment["CHAOS_BIND"].rpartition(":")[2]
    server = ServerProcess(["make", "run"], environment, clone, f"http://127.0.0.1:{port}", log)
    server.start("/health")
    answer = server.post("/appetence", json=EXAMPLE_REQUEST, headers={"Authorization": f"Bearer {DEMO_KEY}"})
    assert answer.status_code == 200, answer.text
    monitoring = server.get("/monitoring")  # as a browser opens it: no key, figures already measured
    assert monitoring.status_code == 200 and 'id="empty"' not in monitoring.text, monitoring.text[:500]
    return server


def interrupt(server: ServerProcess) -> int:
    """Ctrl-C: the terminal sends SIGINT to every process of the foreground group."""
    os.killpg(server.pid, signal.SIGINT)
    return server.wait(60)


def left_running(clone) -> list[str]:
    return [
        " ".join(process.info["cmdline"] or [])
        for process in psutil.process_iter(["cmdline"])
        if any(str(clone) in part for part in process.info["cmdline"] or [])
    ]


def test_make_run_from_a_fresh_clone_serves_stops_on_ctrl_c_and_restarts_on_its_data(tmp_path, capsys):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(clone)], check=True, timeout=120)
    database = DatabaseSettings(data_dir=clone / "var" / "pgdata", port=free_port())
    config = tmp_path / "config.yml"
    config.write_text(yaml.safe_dump({"database": {"port": database.port}}))
    environment = clean_environment(  # a developer's shell: its caches, certificates and proxies
        CHAOS_CONFIGURATION_PATH=str(config), CHAOS_BIND=f"127.0.0.1:{free_port()}"
    )
    try:
        first = run_until_first_score(clone, environment, tmp_path / "first.log")
        interrupt(first)
        first_output = first.output()
        assert not EmbeddedPostgres(database).status().running, first_output
        assert left_running(clone) == []

        again = run_until_first_score(clone, environment, tmp_path / "again.log")
        interrupt(again)
        assert "seeding" not in again.output() and "training one" not in again.output()
        assert not EmbeddedPostgres(database).status().running, again.output()
        assert left_running(clone) == []
    finally:
        EmbeddedPostgres(database).stop()
    assert "seeding demo data" in first_output and "training one" in first_output
    assert "make: [3/4] installing the serving dependencies" in first_output
    assert "alembic" not in first_output  # its start-up lines are left out
    with capsys.disabled():  # the figures a newcomer cares about, in every run's output
        print(
            f"\nmake run on a fresh clone: first 200 after {first.startup_seconds:.1f} s "
            f"(virtualenv, demo data, training); second start {again.startup_seconds:.1f} s"
        )
