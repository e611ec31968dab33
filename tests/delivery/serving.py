"""Running the image's command outside a container: a stand-in for the Cloud SQL proxy and a server
process that is waited for, stopped, and whose log is shown when it fails."""

import asyncio
import contextlib
import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import requests

STARTUP_SECONDS = 120


class TcpForwarder:
    """Listens on (host, port) and pipes every connection to target: what the proxy sidecar does for
    the app, minus the TLS and IAM towards Cloud SQL."""

    def __init__(self, listen: tuple[str, int], target: tuple[str, int]):
        self.listen, self.target = listen, target
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._error: OSError | None = None
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> "TcpForwarder":
        self._thread.start()
        self._ready.wait(10)
        if self._error is not None:
            raise self._error
        return self

    def __exit__(self, *exc_info) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            server = self._loop.run_until_complete(asyncio.start_server(self._forward, *self.listen))
        except OSError as error:
            self._error = error
            self._ready.set()
            return
        self._ready.set()
        self._loop.run_forever()
        server.close()
        self._loop.close()

    async def _forward(self, client_reader, client_writer) -> None:
        server_reader, server_writer = await asyncio.open_connection(*self.target)
        await asyncio.gather(_pipe(client_reader, server_writer), _pipe(server_reader, client_writer))


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except ConnectionError:
        pass
    finally:
        writer.close()


@contextlib.contextmanager
def serving(command: list[str], env: dict[str, str], cwd: Path, url: str, log: Path) -> Iterator[str]:
    """Start `command`, wait until `url`/health answers 200, yield `url`; stop it with SIGTERM as
    Kubernetes does. Fails with the server's log if it exits or never answers."""
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, env=env, cwd=cwd, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        _wait_until_healthy(process, url, log)
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _wait_until_healthy(process: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{' '.join(process.args)} exited {process.returncode}:\n{log.read_text()}")
        with contextlib.suppress(requests.ConnectionError):
            if requests.get(f"{url}/health", timeout=2).status_code == 200:
                return
        time.sleep(0.3)
    raise AssertionError(f"no 200 from {url}/health after {STARTUP_SECONDS}s:\n{log.read_text()}")
