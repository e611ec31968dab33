"""How a command reaches a ready database: one place for start, upgrade and clean-up.

The embedded server is started when the configuration asks for one (an external one is left
alone), the schema is brought to head, and the engine is disposed when the command is done. An
embedded server started here is announced, and stopped again on the way out unless the caller keeps
it (`chaos serve` stops it itself when gunicorn ends): a command leaves the machine as it found it.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import sqlalchemy as sa

from chaos.infrastructure.config import Settings
from chaos.infrastructure.db import schema
from chaos.infrastructure.db.embedded import EmbeddedPostgres
from chaos.infrastructure.db.engine import create_engine


@contextmanager
def migrated_engine(
    settings: Settings, say: Callable[[str], None], keep_started: bool = False
) -> Iterator[sa.Engine]:
    started = _started_embedded(settings, say, keep_started)
    engine = create_engine(settings.database)
    try:
        schema.upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        if started is not None and not keep_started:
            started.stop()


def _started_embedded(
    settings: Settings, say: Callable[[str], None], keep_started: bool
) -> EmbeddedPostgres | None:
    """The embedded server if this call started it (None: external, or already running)."""
    if not settings.database.embedded:
        return None
    server = EmbeddedPostgres(settings.database)
    if server.status().running:
        server.start()  # the role and database, should they be missing
        return None
    status = server.start()
    until = "" if keep_started else "; stopped when this command ends (`chaos db start` keeps one running)"
    say(f"started the embedded PostgreSQL on port {status.port} (data in {status.data_dir}){until}")
    return server
