"""gunicorn servers for the bench, started as production starts them (`gunicorn -c <chaos's settings>
<app>`, the command `chaos serve` ends with) by the tests' server runner, with the same sizing for
all: 2 sync workers on a free 127.0.0.1 port, JSON logs to a file."""

import os
from pathlib import Path

from chaos.entrypoints.cli.serve import APP
from harness.network import free_port
from harness.server import ServerProcess, gunicorn_command, gunicorn_environment

WORKERS = 2
REPOSITORY = Path(__file__).resolve().parents[1]


def gunicorn_server(
    name: str, workdir: Path, app: str = APP, config: Path | None = None, extra: dict[str, str] | None = None
) -> ServerProcess:
    """A server named `name` (its log and metrics files under `workdir`), with `extra` environment
    variables, not started."""
    port = free_port()
    environment = (
        os.environ
        | gunicorn_environment(port, WORKERS, config)
        | {"PROMETHEUS_MULTIPROC_DIR": str(workdir / f"{name}-metrics")}
        | (extra or {})
    )
    command = gunicorn_command(app)
    return ServerProcess(
        command, environment, REPOSITORY, f"http://127.0.0.1:{port}", workdir / f"{name}.log"
    )
