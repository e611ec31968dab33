"""gunicorn servers for the bench: started as production starts them, timed to /ready, measured, stopped.

Every server runs `gunicorn -c python:chaos.application.gunicorn_config <app>` (the command
`chaos serve` ends with) with the same environment sizing: 2 sync workers on a free 127.0.0.1
port, JSON logs to a file.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from chaos.application.serve_command import APP, GUNICORN_CONFIG

WORKERS = 2
READY_TIMEOUT_SECONDS = 60
REPOSITORY = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """One gunicorn master and its workers; `start()` returns the seconds from exec to a 200 on /ready."""

    def __init__(self, name: str, workdir: Path, app: str = APP, config: Path | None = None):
        self.name = name
        self.app = app
        self.port = free_port()
        self.log = workdir / f"{name}.log"
        self.env = os.environ | {
            "CHAOS_BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": str(WORKERS),
            "PROMETHEUS_MULTIPROC_DIR": str(workdir / f"{name}-metrics"),
        }
        if config is not None:
            self.env["CHAOS_CONFIGURATION_PATH"] = str(config)
        self.process: subprocess.Popen | None = None

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self) -> float:
        command = [sys.executable, "-m", "gunicorn", "-c", GUNICORN_CONFIG, self.app]
        started = time.perf_counter()
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(
                command, env=self.env, cwd=REPOSITORY, stdout=output, stderr=subprocess.STDOUT
            )
        deadline = started + READY_TIMEOUT_SECONDS
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}: see {self.log}")
            if self._ready():
                return time.perf_counter() - started
            time.sleep(0.01)
        self.stop()
        raise RuntimeError(f"{self.name} not ready within {READY_TIMEOUT_SECONDS} s: see {self.log}")

    def _ready(self) -> bool:
        try:
            with urllib.request.urlopen(self.url("/ready"), timeout=2) as answer:
                return answer.status == 200
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return False

    def post(self, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict]:
        """One request, to check that the load will be answered as intended (status, JSON answer)."""
        request = urllib.request.Request(self.url(path), data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return answer.status, json.loads(answer.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")

    def worker_rss_mb(self) -> list[float]:
        """Resident set size of each worker (the master's children), from /proc."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return [_rss_mb(int(pid)) for pid in children]

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")
