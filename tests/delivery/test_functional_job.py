"""The `functional-tests` job of .gitlab-ci.yml rehearsed on this machine, without Docker: its script
lines as written, run by bash in a copy of the project; its `chaos` service as declared (entrypoint
and command) in a folder holding a model where the image bakes one; a PostgreSQL of its own where the
`postgres` service stands. Only what Docker's network would give changes: the two services'
addresses move to free ports of 127.0.0.1. The job's end-to-end run must pass."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from chaos.infrastructure.config.settings import DatabaseSettings
from chaos.infrastructure.db.embedded import EmbeddedPostgres
from harness.delivery import CI_FILE, REPO
from harness.network import free_port
from harness.server import ServerProcess

TOOL_INSTALL = "pip install"
"""The before_script line that installs the test tools into the image: this environment has them."""


@pytest.fixture
def postgres_service(tmp_path):
    """PostgreSQL with the job's database and user, on a free port."""
    job = yaml.safe_load(CI_FILE.read_text())["functional-tests"]
    variables = job["variables"]
    settings = DatabaseSettings(
        data_dir=tmp_path / "pgdata",
        port=free_port(),
        name=variables["POSTGRES_DB"],
        user=variables["POSTGRES_USER"],
    )
    server = EmbeddedPostgres(settings)
    server.start()
    yield settings.port
    server.stop()


@pytest.mark.slow
def test_the_functional_job_passes_against_the_image_command(postgres_service, trained_models, tmp_path):
    job = yaml.safe_load(CI_FILE.read_text())
    functional, template = job["functional-tests"], job[".tests-in-image"]
    app_port = free_port()
    moves = {
        "postgres:5432": f"127.0.0.1:{postgres_service}",
        "host: postgres, port: 5432": f"host: 127.0.0.1, port: {postgres_service}",
        "http://chaos:5000": f"http://127.0.0.1:{app_port}",
        "/tmp/suite": str(tmp_path / "suite"),
    }

    def moved(text: str) -> str:
        for old, new in moves.items():
            text = text.replace(old, new)
        return text

    project = tmp_path / "project"
    project.mkdir()
    for folder in ("tests", "harness", "deployment"):
        shutil.copytree(
            REPO / folder, project / folder, ignore=shutil.ignore_patterns("__pycache__", ".pinned-*")
        )
    for file in ("pyproject.toml", "schemathesis.toml"):
        shutil.copy(REPO / file, project)
    variables = {**template["variables"], **functional["variables"]}
    environment = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        "CI_PROJECT_DIR": str(project),
    }
    environment |= {
        name: moved(value.replace("$CI_PROJECT_DIR", str(project))) for name, value in variables.items()
    }
    environment.pop("PYTHONPATH", None)

    (service,) = [service for service in functional["services"] if service["alias"] == "chaos"]
    workdir = tmp_path / "app"
    shutil.copytree(trained_models[0], workdir / "models")
    app = ServerProcess(
        service["entrypoint"] + service["command"],
        environment | {"CHAOS_BIND": f"127.0.0.1:{app_port}"},
        workdir,
        f"http://127.0.0.1:{app_port}",
        tmp_path / "service.log",
    ).launch()
    try:
        lines = [line for line in template["before_script"] if not line.startswith(TOOL_INSTALL)]
        script = "set -e\n" + "\n".join(moved(line) for line in lines + functional["script"])
        result = subprocess.run(
            ["bash", "-c", script], cwd=project, env=environment, capture_output=True, text=True, timeout=600
        )
    finally:
        app.stop()
    assert result.returncode == 0, f"{result.stdout[-6000:]}\n{result.stderr[-3000:]}\n{app.output()[-3000:]}"
    assert " passed" in result.stdout and "skipped" not in result.stdout.splitlines()[-1]
    assert (project / "junit.xml").is_file()
