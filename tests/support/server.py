"""The one way tests and the bench run a server: a subprocess in its own session, waited for until a
path answers 200, inspected (worker pids, their memory), signalled, stopped as Kubernetes stops a pod,
and whose log is shown when it fails. It runs gunicorn from the repository, `chaos serve`, and the
image's command from an installed wheel alike."""

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import psutil
import requests

from chaos.entrypoints.cli.serve import APP, GUNICORN_CONFIG

STARTUP_SECONDS = 120


def _status_mb(pid: int, field: str) -> float:
    """A `kB` line of /proc/<pid>/status, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise LookupError(f"no {field} in /proc/{pid}/status")


def gunicorn_command(app: str = APP) -> list[str]:
    """The command `chaos serve` ends with, minus its preparation (database, demo data, training)."""
    return [sys.executable, "-m", "gunicorn", "-c", GUNICORN_CONFIG, app]


def gunicorn_environment(port: int, workers: int, config: Path | None = None) -> dict[str, str]:
    """The variables that place and size gunicorn (and name chaos's configuration file)."""
    environment = {"CHAOS_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(workers)}
    if config is not None:
        environment["CHAOS_CONFIGURATION_PATH"] = str(config)
    return environment


class ServerProcess:
    def __init__(
        self,
        command: list[str],
        env: Mapping[str, str],
        cwd: Path,
        url: str,
        log: Path,
        headers: Mapping[str, str] | None = None,
    ):
        self.command, self.env, self.cwd, self.url, self.log = command, dict(env), cwd, url, log
        self.process: subprocess.Popen | None = None
        self.startup_seconds: float | None = None
        """From launch to the first 200 of `start`'s path."""
        self.http = requests.Session()
        self.http.headers.update(headers or {})

    @property
    def pid(self) -> int:
        return self.process.pid

    def launch(self) -> "ServerProcess":
        """Start the command in its own session, without waiting for it."""
        self._launched = time.perf_counter()
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(
                self.command,
                env=self.env,
                cwd=self.cwd,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    def start(self, path: str = "/health") -> "ServerProcess":
        """Launch, then wait until `path` answers 200; fails with the server's log if it exits first or
        never answers."""
        return self.launch().wait_until_up(path)

    def wait_until_up(self, path: str = "/health") -> "ServerProcess":
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(
                    f"{' '.join(self.command)} exited {self.process.returncode}:\n{self.output()}"
                )
            with contextlib.suppress(requests.ConnectionError, requests.Timeout):
                if requests.get(self.url + path, timeout=2).status_code == 200:
                    self.startup_seconds = time.perf_counter() - self._launched
                    return self
            time.sleep(0.02)
        raise AssertionError(f"no 200 from {self.url}{path} after {STARTUP_SECONDS}s:\n{self.output()}")

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.http.get(self.url + path, **{"timeout": 10, **kwargs})

    def post(self, path: str, **kwargs) -> requests.Response:
        return self.http.post(self.url + path, **{"timeout": 10, **kwargs})

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def worker_pids(self) -> set[int]:
        """The pids of the master's live children (gunicorn's workers)."""
        return {child.pid for child in psutil.Process(self.pid).children() if child.is_running()}

    def worker_rss_mb(self) -> list[float]:
        """Resident set size of each worker."""
        return [psutil.Process(pid).memory_info().rss / 2**20 for pid in self.worker_pids()]

    def reset_peak_rss(self) -> dict[int, float]:
        """Each worker's resident set now (MB), after resetting its peak to it (Linux's clear_refs):
        `peak_rss_growth_mb` then sees every peak since, however brief, which no sampling would."""
        now = {}
        for pid in self.worker_pids():
            Path(f"/proc/{pid}/clear_refs").write_text("5")
            now[pid] = _status_mb(pid, "VmRSS")
        return now

    def peak_rss_growth_mb(self, baseline: dict[int, float]) -> float:
        """The largest growth of a worker's peak resident set over its `baseline`."""
        return max(_status_mb(pid, "VmHWM") - rss for pid, rss in baseline.items())

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

    def stop(self) -> None:
        """SIGTERM to the whole session, as Kubernetes stops a pod; SIGKILL if it lingers."""
        self.http.close()
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(self.pid, signal.SIGKILL)
            self.process.wait()

    def __enter__(self) -> "ServerProcess":
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()
