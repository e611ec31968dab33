"""Scratch directories in the model directory: what a killed run leaves behind, the next run removes.

The local model store writes each object (a version's file, the champion pointer) in a scratch
directory and links or renames it into place, so readers never see half a file. If the run is
killed (`kill -9`, OOM, a pod evicted midway), the scratch directory stays. Each one is paired with
a lock file that its owner holds with `flock` while it lives; the kernel releases that lock when
the process ends, however it ends. So a scratch directory whose lock can be taken belongs to
nobody, and every new scratch first sweeps those away. A live run (another `chaos train` at the
same time) keeps its lock and its files.
"""

import contextlib
import fcntl
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import IO

PREFIX = ".staging-"
LOCK_SUFFIX = ".lock"


@contextlib.contextmanager
def scratch(directory: Path) -> Iterator[Path]:
    """A fresh scratch directory under `directory`, held for the duration; removed afterwards unless
    its content was renamed away (what is left inside is discarded)."""
    directory.mkdir(parents=True, exist_ok=True)
    sweep(directory)
    path = directory / f"{PREFIX}{uuid.uuid4().hex}"
    lock_path = path.with_name(path.name + LOCK_SUFFIX)
    with _held(lock_path) as lock:
        if lock is None:  # cannot happen with a fresh random name; refuse rather than share
            raise RuntimeError(f"{lock_path} is held by another process")
        path.mkdir()
        try:
            yield path
        finally:
            shutil.rmtree(path, ignore_errors=True)
            lock_path.unlink(missing_ok=True)


def sweep(directory: Path) -> list[Path]:
    """Remove the scratch directories (and lock files) no living process holds; return them."""
    removed = []
    for lock_path in sorted(directory.glob(f"{PREFIX}*{LOCK_SUFFIX}")):
        path = lock_path.with_name(lock_path.name.removesuffix(LOCK_SUFFIX))
        with _held(lock_path) as lock:
            if lock is not None:
                shutil.rmtree(path, ignore_errors=True)
                lock_path.unlink(missing_ok=True)
                removed.append(path)
    for path in directory.glob(f"{PREFIX}*"):  # left by a run killed before it locked, or by older code
        if path.is_dir() and not path.with_name(path.name + LOCK_SUFFIX).exists():
            with _held(path.with_name(path.name + LOCK_SUFFIX)) as lock:
                if lock is not None:
                    shutil.rmtree(path, ignore_errors=True)
                    path.with_name(path.name + LOCK_SUFFIX).unlink(missing_ok=True)
                    removed.append(path)
    return removed


@contextlib.contextmanager
def _held(lock_path: Path) -> Iterator[IO[str] | None]:
    """The lock file opened and exclusively locked without waiting, or None when someone holds it.

    After locking, the file must still be the one at `lock_path`: a sweeper may have unlinked it
    between our open and our lock, and a lock on an unlinked file protects nothing."""
    while True:
        lock = lock_path.open("a")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.close()
            yield None
            return
        try:
            same = os.path.exists(lock_path) and os.stat(lock_path).st_ino == os.fstat(lock.fileno()).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        lock.close()
    try:
        yield lock
    finally:
        lock.close()
