"""Alembic environment: runs online against the connection or URL that chaos passes in."""

import sqlalchemy as sa
from alembic import context

from chaos.infrastructure.db.tables import metadata

config = context.config
connection = config.attributes.get("connection")


def _run(bound: sa.Connection) -> None:
    context.configure(connection=bound, target_metadata=metadata, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


if connection is not None:
    _run(connection)
else:
    url = config.get_main_option("sqlalchemy.url")
    if url is None:
        raise RuntimeError("alembic needs a connection or sqlalchemy.url: run `chaos db upgrade`")
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as bound:
        _run(bound)
