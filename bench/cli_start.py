"""How fast the command line answers a read-only command: `chaos --version` and `chaos models list` on
a local model store of three versions, each run REPEATS times as a new process (as an operator types
it); prints the median and the slowest wall time beside the goal. A command imports only what it
needs, so neither loads SQLAlchemy, Alembic, the importer nor the web app.

    .venv/bin/python -m bench.cli_start
"""

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from tests.artifacts import save_model

REPEATS = 7
SECONDS_GOAL = 1.0


def wall_times(arguments: list[str], config: Path) -> list[float]:
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "chaos", "--config", str(config), *arguments],
            check=True,
            capture_output=True,
        )
        times.append(time.perf_counter() - started)
    return times


def main() -> int:
    with tempfile.TemporaryDirectory() as scratch:
        store = Path(scratch) / "models"
        for index in range(3):
            save_model(store, champion=index == 0)
        config = Path(scratch) / "chaos.yml"
        config.write_text(yaml.safe_dump({"model": {"directory": str(store)}}))
        met = True
        for arguments in (["--version"], ["models", "list"]):
            times = wall_times(arguments, config)
            median, slowest = statistics.median(times), max(times)
            met &= median <= SECONDS_GOAL
            print(
                f"chaos {' '.join(arguments)}: median {median:.2f} s, slowest {slowest:.2f} s "
                f"over {REPEATS} runs (goal: median <= {SECONDS_GOAL:.1f} s)"
            )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
