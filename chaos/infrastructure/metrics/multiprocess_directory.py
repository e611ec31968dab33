"""Where gunicorn's workers keep their Prometheus samples (prometheus-client multiprocess mode).

Each worker is a process with its own counters; prometheus-client's multiprocess mode has each
write its samples to files in one directory that `/metrics` sums, so a scrape sees every worker,
whichever one answers it. The variable must be set before prometheus_client is imported, hence
a module of its own that the gunicorn settings use (it imports nothing from the web package).
"""

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
_TEMPORARY_PREFIX = "chaos-metrics-"


def chosen(environ: Mapping[str, str] = os.environ) -> Path:
    """$PROMETHEUS_MULTIPROC_DIR, else a temporary directory named after this (the master's)
    process; only named here, created by `ensure`."""
    return Path(environ.get(VARIABLE) or Path(tempfile.gettempdir()) / f"{_TEMPORARY_PREFIX}{os.getpid()}")


def ensure(environ: Mapping[str, str] = os.environ) -> None:
    """Create $PROMETHEUS_MULTIPROC_DIR if it is set and missing (before the first sample is written)."""
    if environ.get(VARIABLE):
        Path(environ[VARIABLE]).mkdir(parents=True, exist_ok=True)


def clear(directory: Path, keep: int) -> None:
    """Forget a previous server's samples (counters restart at zero with the server, as Prometheus
    expects), except the files of process `keep`: gunicorn's master, whose preloaded app has already
    written this server's first samples (the served model's gauge) and keeps them open."""
    for path in directory.glob("*.db"):
        if path.stem.rpartition("_")[2] != str(keep):
            path.unlink(missing_ok=True)


def remove_if_temporary(directory: Path) -> None:
    if directory.name.startswith(_TEMPORARY_PREFIX) and directory.parent == Path(tempfile.gettempdir()):
        shutil.rmtree(directory, ignore_errors=True)


def worker_exited(pid: int) -> None:
    """Drop the live-gauge samples of a dead worker (its counters stay: they were served)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(pid)
