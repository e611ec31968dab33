"""Concurrent clients posting /appetence in a loop, recording when each request started and ended and
how it ended (a status code, or the connection error), for the fault scenarios and the soak."""

import threading
import time
from collections import Counter
from dataclasses import dataclass

import requests

from chaos.entrypoints.web.appetence_schema import EXAMPLE_REQUEST

CLIENT_TIMEOUT = 30.0
"""Far above any budget under test: a request cut by this timeout is a hang, recorded as such."""


@dataclass(frozen=True)
class Outcome:
    started: float  # time.monotonic()
    ended: float
    status: int | None  # None: no HTTP answer
    error: str | None = None
    retry_after: str | None = None
    model_version: str | None = None  # of a 200 answer

    @property
    def seconds(self) -> float:
        return self.ended - self.started


class Load:
    """`clients` threads, each sending one request after the other (or one per `interval` seconds)."""

    def __init__(self, url: str, headers: dict[str, str], clients: int = 8, interval: float = 0.0):
        self.url, self.headers, self.clients, self.interval = url, headers, clients, interval
        self.outcomes: list[Outcome] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._client, daemon=True) for _ in range(clients)]

    def __enter__(self) -> "Load":
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(CLIENT_TIMEOUT + 5)

    def between(self, start: float, end: float = float("inf")) -> list[Outcome]:
        """Requests that started in [start, end)."""
        with self._lock:
            return [outcome for outcome in self.outcomes if start <= outcome.started < end]

    def wait_for(self, count: int, since: float, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while len(self.between(since)) < count:
            assert time.monotonic() < deadline, f"fewer than {count} requests in {timeout}s"
            time.sleep(0.05)

    def _client(self) -> None:
        session = requests.Session()
        session.headers.update(self.headers)
        while not self._stop.is_set():
            started = time.monotonic()
            outcome = self._post(session, started)
            with self._lock:
                self.outcomes.append(outcome)
            if self.interval:
                self._stop.wait(max(0.0, started + self.interval - time.monotonic()))

    def _post(self, session: requests.Session, started: float) -> Outcome:
        try:
            response = session.post(f"{self.url}/appetence", json=EXAMPLE_REQUEST, timeout=CLIENT_TIMEOUT)
        except requests.RequestException as error:
            return Outcome(started, time.monotonic(), None, type(error).__name__)
        version = response.json().get("model_version") if response.status_code == 200 else None
        return Outcome(
            started,
            time.monotonic(),
            response.status_code,
            None,
            response.headers.get("Retry-After"),
            version,
        )


def statuses(outcomes: list[Outcome]) -> Counter:
    return Counter(outcome.status or outcome.error for outcome in outcomes)
