"""Reading a server's log right after its answer: gunicorn and nginx write a request's access line
once the answer is sent, so the client may read the log before the line is there."""

import time
from typing import Protocol

LOG_WAIT_SECONDS = 5.0


class Logging(Protocol):
    def output(self) -> str:
        """Everything the process has logged so far."""


def logged_lines(process: Logging, *needles: str, timeout: float = LOG_WAIT_SECONDS) -> list[str]:
    """The lines of `process`'s log holding every one of `needles`, once there is at least one (or
    whatever there is after `timeout` seconds)."""
    deadline = time.monotonic() + timeout
    while True:
        lines = [line for line in process.output().splitlines() if all(needle in line for needle in needles)]
        if lines or time.monotonic() >= deadline:
            return lines
        time.sleep(0.05)
