"""The pod's edge run locally: nginx from the Debian package with the rendered ConfigMap's nginx.conf.

Only what must differ on a shared machine is moved, each by an exact text replacement that fails
loudly when the file no longer contains it: the two listen ports (to free ones on 127.0.0.1), the
upstream (gunicorn's local port) and the two folders the pod mounts (/tmp and the TLS Secret).
"""

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

STARTUP_SECONDS = 20


@dataclass(frozen=True)
class Moves:
    """(as in the pod, here) for each value that differs locally."""

    https_port: tuple[int, int]
    internal_port: tuple[int, int]
    upstream: tuple[str, str]
    tmp: tuple[str, Path]
    tls: tuple[str, Path]

    def apply(self, text: str) -> str:
        replacements = [
            (f"listen {self.https_port[0]} ssl;", f"listen 127.0.0.1:{self.https_port[1]} ssl;"),
            (f"listen {self.internal_port[0]};", f"listen 127.0.0.1:{self.internal_port[1]};"),
            (f"server {self.upstream[0]};", f"server {self.upstream[1]};"),
            (f" {self.tmp[0].rstrip('/')}/", f" {self.tmp[1]}/"),
            (f" {self.tls[0].rstrip('/')}/", f" {self.tls[1]}/"),
        ]
        for old, new in replacements:
            if old not in text:
                raise ValueError(f"the edge's nginx.conf no longer contains {old!r}: update {__name__}")
            text = text.replace(old, new)
        return text


def directive(config: str, name: str) -> str:
    """The value of a directive that the configuration sets once (e.g. client_header_timeout)."""
    (value,) = re.findall(rf"^\s*{name}\s+([^;{{\n]+);", config, flags=re.MULTILINE)
    return value


def seconds(value: str) -> float:
    """An nginx time ("5s", "500ms", "1m") in seconds."""
    found = re.fullmatch(r"(\d+)(ms|s|m)?", value)
    assert found, f"{value!r} is not an nginx time"
    number, unit = found.groups()
    return int(number) * {"ms": 0.001, "s": 1, None: 1, "m": 60}[unit]


def nginx() -> str | None:
    """The nginx executable (Debian installs it in /usr/sbin, outside a normal user's PATH)."""
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")


class EdgeProxy:
    def __init__(self, config: str, root: Path, moves: Moves, certificate: Path):
        self.config, self.root, self.certificate = config, root, certificate
        self.https_port, self.internal_port = moves.https_port[1], moves.internal_port[1]
        self.log = root / "edge.log"
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        """The TLS port: what the load balancer reaches."""
        return f"https://127.0.0.1:{self.https_port}"

    @property
    def internal_url(self) -> str:
        """The in-cluster port: liveness and metrics."""
        return f"http://127.0.0.1:{self.internal_port}"

    def start(self) -> "EdgeProxy":
        executable = nginx()
        if executable is None:
            raise FileNotFoundError("`nginx` is not installed: install it (Debian: apt-get install nginx)")
        path = self.root / "nginx.conf"
        path.write_text(self.config)
        # As root, nginx would run its workers as `nobody`; the pod runs it unprivileged as one user.
        directives = "daemon off;" + (" user root;" if os.geteuid() == 0 else "")
        command = [executable, "-e", "stderr", "-p", str(self.root), "-c", str(path), "-g", directives]
        with self.log.open("wb") as output:
            self.process = subprocess.Popen(
                command, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
            )
        self._wait_until_listening()
        return self

    def stop(self) -> None:
        """SIGQUIT, the image's stop signal: nginx finishes in-flight requests, then exits."""
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            self.process.send_signal(signal.SIGQUIT)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def _wait_until_listening(self) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            process = self.process
            assert process is not None, "nginx was never started"
            if process.poll() is not None:
                raise AssertionError(f"nginx exited {process.returncode}:\n{self.output()}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.https_port), 1):
                return
            time.sleep(0.1)
        raise AssertionError(
            f"nginx not listening on {self.https_port} after {STARTUP_SECONDS}s:\n{self.output()}"
        )
