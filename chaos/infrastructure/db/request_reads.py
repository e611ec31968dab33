"""One read on the request path: a single statement on a pooled connection, with the one retry a
dead connection deserves, and an outage turned into the domain's IndicatorsUnavailable."""

from collections.abc import Callable
from typing import TypeVar

import sqlalchemy as sa

from chaos.infrastructure.db.unavailable import unavailable_on_outage

T = TypeVar("T")


def fetch(engine: sa.Engine, work: Callable[[sa.Connection], T]) -> T:
    """Run `work` on a pooled connection. A connection that turns out dead (database restarted,
    proxy cut it) invalidates the pool and is retried once on a fresh one, so a restart costs
    no request and the request path needs no pre-ping round trip."""
    with unavailable_on_outage():
        try:
            return _run(engine, work)
        except sa.exc.DBAPIError as error:
            if not error.connection_invalidated:
                raise
            return _run(engine, work)


def _run(engine: sa.Engine, work: Callable[[sa.Connection], T]) -> T:
    with engine.connect() as connection:
        return work(connection)
