"""The pooled SQLAlchemy engine, with the timeouts a request path needs.

Nothing connects here: `create_engine` is lazy, and the web app builds its engine after gunicorn
forks so that workers never share a socket.
"""

import sqlalchemy as sa

from chaos.infrastructure.config.settings import DatabaseSettings


def create_engine(settings: DatabaseSettings) -> sa.Engine:
    return sa.create_engine(
        settings.url(),
        pool_size=settings.pool_size,
        max_overflow=settings.max_overflow,
        pool_timeout=settings.pool_timeout_seconds,
        pool_pre_ping=True,
        pool_recycle=1800,
        connect_args={
            "connect_timeout": settings.connect_timeout_seconds,
            "options": f"-c statement_timeout={settings.statement_timeout_ms}",
            "application_name": "chaos",
            "keepalives": 1,
            "keepalives_idle": 10,
            "keepalives_interval": 2,
            "keepalives_count": 2,
        },
    )
