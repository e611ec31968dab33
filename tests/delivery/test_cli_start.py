"""A read-only command starts fast because it imports only what it needs: `chaos --version` and
`chaos models list` on a local store load neither SQLAlchemy, Alembic, the importer nor the web app.
Their wall time, as an operator types them (a new process each, several runs), is measured and
printed beside the goal (a median of at most 1 s); speed is not asserted here, the imports are."""

import json
import statistics
import subprocess
import sys
import time

import pytest
import yaml

from tests.artifacts import save_model

RUNS = 7
SECONDS_GOAL = 1.0
HEAVY = (
    "sqlalchemy",
    "alembic",
    "flask",
    "chaos.infrastructure.importing",
    "chaos.entrypoints.web.gate",
)
LOADED = """
import json, sys
from chaos.entrypoints.cli.main import main
try:
    main(sys.argv[1:])
finally:  # --version exits
    print(json.dumps([name for name in {heavy} if name in sys.modules]), file=sys.stderr)
"""

COMMANDS = [["--version"], ["models", "list"]]


@pytest.fixture(scope="module")
def config(tmp_path_factory):
    scratch = tmp_path_factory.mktemp("cli-start")
    store = scratch / "models"
    for index in range(3):
        save_model(store, champion=index == 0)
    path = scratch / "chaos.yml"
    path.write_text(yaml.safe_dump({"model": {"directory": str(store)}}))
    return path


def chaos(config, arguments: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "chaos", "--config", str(config), *arguments], capture_output=True, text=True
    )


@pytest.mark.parametrize("arguments", COMMANDS, ids=" ".join)
def test_a_read_only_command_loads_no_database_nor_web_library(config, arguments):
    script = LOADED.format(heavy=HEAVY)
    done = subprocess.run(
        [sys.executable, "-c", script, "--config", str(config), *arguments], capture_output=True, text=True
    )
    assert json.loads(done.stderr.strip().splitlines()[-1]) == [], done.stderr


def test_the_start_up_time_is_measured_and_printed(config, capsys):
    lines = []
    for arguments in COMMANDS:
        times = []
        for _ in range(RUNS):
            started = time.perf_counter()
            done = chaos(config, arguments)
            times.append(time.perf_counter() - started)
            assert done.returncode == 0, done.stderr
        median, slowest = statistics.median(times), max(times)
        lines.append(
            f"chaos {' '.join(arguments)}: median {median:.2f} s, slowest {slowest:.2f} s "
            f"over {RUNS} runs (goal: median <= {SECONDS_GOAL:.1f} s)"
        )
    with capsys.disabled():
        print("\n" + "\n".join(lines))
