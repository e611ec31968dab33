"""A client-side deadline on every statement of a connection, the liveness check included.

PostgreSQL's statement_timeout only bounds the work the server sees. When the link itself stalls
(the Cloud SQL proxy sidecar hangs, or a slow network sits between), a statement or SQLAlchemy's
pre-ping waits in libpq with no end; TCP keepalives cannot notice, since the local proxy's kernel
keeps acknowledging. libpq offers no read timeout on an established connection, so a timer shuts
the socket down once the deadline passes: libpq then reports a lost connection, SQLAlchemy drops
it from the pool, and the request gets a 503 instead of hanging its worker.

One watchdog thread per process keeps the deadlines of the statements under way: a
`threading.Timer` per statement started a thread for each query and its pre-ping, which cost
more than a millisecond a request; registering a deadline costs a lock and a dict entry, and the
watchdog is only woken when a deadline earlier than the one it waits for arrives.
"""

import contextlib
import contextvars
import itertools
import math
import os
import socket
import threading
import time
from collections.abc import Iterator

from psycopg2.extensions import cursor


class _Watchdog:
    def __init__(self):
        self._reset()

    def _reset(self) -> None:
        """A fresh state: also run in a forked child, where the parent's thread does not exist."""
        self._condition = threading.Condition()
        self._running: dict[int, tuple[float, int]] = {}
        self._tokens = itertools.count()
        self._wakes_at = math.inf
        self._thread: threading.Thread | None = None

    def watch(self, fd: int, seconds: float) -> int:
        """Sever socket `fd` if the returned token is not released within `seconds`."""
        deadline = time.monotonic() + seconds
        with self._condition:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="statement-deadlines", daemon=True)
                self._thread.start()
            token = next(self._tokens)
            self._running[token] = (deadline, fd)
            if deadline < self._wakes_at:
                self._condition.notify()
            return token

    def release(self, token: int) -> None:
        with self._condition:
            self._running.pop(token, None)

    def _run(self) -> None:
        with self._condition:
            while True:
                now = time.monotonic()
                for token, (deadline, fd) in list(self._running.items()):
                    if deadline <= now:
                        del self._running[token]
                        _sever(fd)
                self._wakes_at = min((deadline for deadline, _ in self._running.values()), default=math.inf)
                self._condition.wait(None if self._wakes_at == math.inf else self._wakes_at - now)


_WATCHDOG = _Watchdog()
os.register_at_fork(after_in_child=_WATCHDOG._reset)
_EXTRA_SECONDS = contextvars.ContextVar("statement_deadline_extra_seconds", default=0.0)


@contextlib.contextmanager
def extended_deadline(seconds: float) -> Iterator[None]:
    """Statements run within get `seconds` more than their deadline: for a wait the server bounds
    by itself (a lock_timeout), which must not be mistaken for a stalled link."""
    token = _EXTRA_SECONDS.set(seconds)
    try:
        yield
    finally:
        _EXTRA_SECONDS.reset(token)


def deadline_cursor(seconds: float) -> type[cursor]:
    """A psycopg2 cursor class whose `execute` and `copy_expert` give up after `seconds` (pass it as
    cursor_factory)."""

    class DeadlineCursor(cursor):
        def execute(self, query, vars=None):
            token = self._watch()
            try:
                return super().execute(query, vars)
            finally:
                _WATCHDOG.release(token)

        def copy_expert(self, sql, file, size=8192):
            token = self._watch()
            try:
                return super().copy_expert(sql, file, size)
            finally:
                _WATCHDOG.release(token)

        def _watch(self) -> int:
            return _WATCHDOG.watch(self.connection.fileno(), seconds + _EXTRA_SECONDS.get())

    return DeadlineCursor


def _sever(fd: int) -> None:
    """Shut the connection's socket down under libpq's feet: its pending wait ends with an error."""
    with contextlib.suppress(OSError), socket.socket(fileno=os.dup(fd)) as sock:
        sock.shutdown(socket.SHUT_RDWR)
