"""Scratch directories of the model store: a killed run's leftovers are removed by the next run,
a live run's are not."""

import signal
import subprocess
import sys
from pathlib import Path

from chaos.infrastructure.models.scratch import PREFIX, scratch, sweep

HOLD = """
import sys, time
from pathlib import Path
from chaos.infrastructure.models.scratch import scratch
with scratch(Path(sys.argv[1])) as path:
    (path / "model.joblib").write_bytes(b"half written")
    print(path, flush=True)
    time.sleep(60)
"""


def holder(directory: Path) -> tuple[subprocess.Popen, Path]:
    """A process writing into a scratch directory, as `chaos train` does, until it is killed."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(directory)], stdout=subprocess.PIPE, text=True
    )
    return process, Path(process.stdout.readline().strip())


def leftovers(directory: Path) -> list[str]:
    return sorted(path.name for path in directory.iterdir() if path.name.startswith(PREFIX))


def test_a_killed_runs_scratch_is_removed_by_the_next_run(tmp_path):
    process, path = holder(tmp_path)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert path.is_dir()  # what a `kill -9` during `chaos train --champion` leaves
    with scratch(tmp_path) as fresh:
        assert leftovers(tmp_path) == sorted([fresh.name, fresh.name + ".lock"])
    assert leftovers(tmp_path) == []


def test_a_live_runs_scratch_is_left_alone(tmp_path):
    process, path = holder(tmp_path)
    try:
        assert sweep(tmp_path) == []
        assert (path / "model.joblib").read_bytes() == b"half written"
    finally:
        process.kill()
        process.wait()
    assert sweep(tmp_path) == [path]


def test_leftovers_of_older_versions_without_a_lock_are_removed(tmp_path):
    old = tmp_path / f"{PREFIX}abc123"
    old.mkdir()
    (old / "model.joblib").write_bytes(b"")
    assert sweep(tmp_path) == [old]
    assert leftovers(tmp_path) == []


def test_a_finished_scratch_leaves_nothing(tmp_path):
    with scratch(tmp_path) as path:
        (path / "file").write_text("x")
        path.rename(tmp_path / "kept")
    assert leftovers(tmp_path) == [] and (tmp_path / "kept" / "file").read_text() == "x"
