"""How a command reaches a ready database: one place for start, upgrade and clean-up.

The embedded server is started when the configuration asks for one (an external one is left
alone), the schema is brought to head, and the engine is disposed when the command is done.
"""

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa

from chaos.infrastructure.config import Settings
from chaos.infrastructure.db import schema
from chaos.infrastructure.db.embedded import EmbeddedPostgres
from chaos.infrastructure.db.engine import create_engine


@contextmanager
def migrated_engine(settings: Settings) -> Iterator[sa.Engine]:
    if settings.database.embedded:
        EmbeddedPostgres(settings.database).start()
    engine = create_engine(settings.database)
    try:
        schema.upgrade(engine)
        yield engine
    finally:
        engine.dispose()
