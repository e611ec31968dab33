"""The pooled SQLAlchemy engine, with the timeouts a request path needs.

Nothing connects here: `create_engine` is lazy, and the web app builds its engine after gunicorn
forks so that workers never share a socket.
"""

import sqlalchemy as sa

from chaos.infrastructure.config.settings import DatabaseSettings
from chaos.infrastructure.db.deadline import deadline_cursor


def answer_deadline_seconds(settings: DatabaseSettings) -> float:
    """How long a request path waits for any one statement: the server's statement timeout plus the
    connect timeout as the network's allowance."""
    return settings.statement_timeout_ms / 1000 + settings.connect_timeout_seconds


def create_engine(settings: DatabaseSettings, request_path: bool = False) -> sa.Engine:
    """`request_path=True` (the web app) also bounds every statement on the client side (see
    deadline.py), reads in autocommit and skips the pool's pre-ping (a `SELECT 1` round trip per
    request): its repository retries a read once on a connection found dead instead. Batch jobs that
    lift statement_timeout or need transactions must not ask for it."""
    deadline = {"cursor_factory": deadline_cursor(answer_deadline_seconds(settings))} if request_path else {}
    # The request path only runs single-statement reads: autocommit spares each request the BEGIN and
    # ROLLBACK round trips of a transaction (set once per connection, not per checkout).
    autocommit = {"isolation_level": "AUTOCOMMIT"} if request_path else {}
    return sa.create_engine(
        settings.url(),
        **autocommit,
        pool_size=settings.pool_size,
        max_overflow=settings.max_overflow,
        pool_timeout=settings.pool_timeout_seconds,
        pool_pre_ping=not request_path,
        pool_recycle=1800,
        connect_args={
            "connect_timeout": settings.connect_timeout_seconds,
            "options": f"-c statement_timeout={settings.statement_timeout_ms}",
            "application_name": "chaos",
            "keepalives": 1,
            "keepalives_idle": 10,
            "keepalives_interval": 2,
            "keepalives_count": 2,
            **deadline,
        },
    )
