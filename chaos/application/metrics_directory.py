"""Where gunicorn's workers keep their Prometheus samples (prometheus-client multiprocess mode).

Each worker is a process with its own counters; prometheus-client's multiprocess mode has each
write its samples to files in one directory that `/metrics` sums, so a scrape sees every worker,
whichever one answers it. The variable must be set before prometheus_client is imported, hence
a module of its own that gunicorn.conf.py calls first (it imports nothing from the web package).
"""

import os
import shutil
import tempfile
from collections.abc import MutableMapping
from pathlib import Path

VARIABLE = "PROMETHEUS_MULTIPROC_DIR"


def prepare(environ: MutableMapping[str, str] = os.environ) -> Path:
    """$PROMETHEUS_MULTIPROC_DIR (created if needed, emptied), else a fresh temporary directory; exported.

    Emptied here, when gunicorn reads its settings, and not later: the app is then loaded in the
    master (preload), which writes the served model's gauge to its own file before forking."""
    directory = Path(environ.get(VARIABLE) or tempfile.mkdtemp(prefix="chaos-metrics-"))
    directory.mkdir(parents=True, exist_ok=True)
    clear(directory)
    environ[VARIABLE] = str(directory)
    return directory


def clear(directory: Path) -> None:
    """Forget a previous server's samples: counters restart at zero with the server, as Prometheus expects."""
    for path in directory.glob("*.db"):
        path.unlink(missing_ok=True)


def remove_if_temporary(directory: Path) -> None:
    if directory.name.startswith("chaos-metrics-") and directory.parent == Path(tempfile.gettempdir()):
        shutil.rmtree(directory, ignore_errors=True)
