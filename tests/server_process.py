"""A server started as a subprocess for a test: waited for, inspected (worker pids), signalled, stopped,
and whose log is shown when it fails. Used for gunicorn from the repository and from the image's venv."""

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import requests

from chaos.application.serve_command import APP, GUNICORN_CONFIG

STARTUP_SECONDS = 120
GUNICORN = [sys.executable, "-m", "gunicorn", "-c", GUNICORN_CONFIG, APP]
"""The command `chaos serve` ends with, minus its preparation (database, demo data, training)."""


class ServerProcess:
    def __init__(self, command: list[str], env: dict[str, str], cwd: Path, url: str, log: Path):
        self.command, self.env, self.cwd, self.url, self.log = command, env, cwd, url, log
        self.process: subprocess.Popen | None = None

    @property
    def pid(self) -> int:
        return self.process.pid

    def start(self) -> "ServerProcess":
        """Start the command in its own session and wait until `url`/health answers 200."""
        with self.log.open("wb") as output:
            self.process = subprocess.Popen(
                self.command,
                env=self.env,
                cwd=self.cwd,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._wait_until_healthy()
        return self

    def worker_pids(self) -> set[int]:
        """The pids of the master's live children (gunicorn's workers)."""
        return {child.pid for child in psutil.Process(self.pid).children() if child.is_running()}

    def wait_for_workers(
        self, count: int, excluding: set[int] = frozenset(), timeout: float = 30
    ) -> set[int]:
        """The worker pids once there are `count` of them, none of them in `excluding`."""
        deadline = time.monotonic() + timeout
        while len(pids := self.worker_pids()) != count or pids & excluding:
            assert time.monotonic() < deadline, f"{len(pids)} workers instead of {count}:\n{self.output()}"
            time.sleep(0.1)
        return pids

    def signal(self, signum: int) -> None:
        os.kill(self.pid, signum)

    def signal_worker(self, pid: int, signum: int) -> None:
        assert pid in self.worker_pids(), f"{pid} is not a worker of {self.pid}"
        os.kill(pid, signum)

    def wait(self, timeout: float) -> int:
        return self.process.wait(timeout)

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        """SIGTERM to the whole session, as Kubernetes stops a pod; SIGKILL if it lingers."""
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(self.pid, signal.SIGKILL)
            self.process.wait()

    def _wait_until_healthy(self) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(
                    f"{' '.join(self.command)} exited {self.process.returncode}:\n{self.output()}"
                )
            with contextlib.suppress(requests.ConnectionError):
                if requests.get(f"{self.url}/health", timeout=2).status_code == 200:
                    return
            time.sleep(0.2)
        raise AssertionError(f"no 200 from {self.url}/health after {STARTUP_SECONDS}s:\n{self.output()}")
