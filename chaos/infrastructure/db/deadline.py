"""A client-side deadline on every statement of a connection, the liveness check included.

PostgreSQL's statement_timeout only bounds the work the server sees. When the link itself stalls
(the Cloud SQL proxy sidecar hangs, or a slow network sits between), a statement or SQLAlchemy's
pre-ping waits in libpq with no end; TCP keepalives cannot notice, since the local proxy's kernel
keeps acknowledging. libpq offers no read timeout on an established connection, so a timer shuts
the socket down once the deadline passes: libpq then reports a lost connection, SQLAlchemy drops
it from the pool, and the request gets a 503 instead of hanging its worker.
"""

import contextlib
import os
import socket
import threading

from psycopg2.extensions import cursor


def deadline_cursor(seconds: float) -> type[cursor]:
    """A psycopg2 cursor class whose `execute` gives up after `seconds` (pass it as cursor_factory)."""

    class DeadlineCursor(cursor):
        def execute(self, query, vars=None):
            timer = threading.Timer(seconds, _sever, args=(self.connection.fileno(),))
            timer.daemon = True
            timer.start()
            try:
                return super().execute(query, vars)
            finally:
                timer.cancel()

    return DeadlineCursor


def _sever(fd: int) -> None:
    """Shut the connection's socket down under libpq's feet: its pending wait ends with an error."""
    with contextlib.suppress(OSError), socket.socket(fileno=os.dup(fd)) as sock:
        sock.shutdown(socket.SHUT_RDWR)
