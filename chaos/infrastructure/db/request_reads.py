"""One read on the request path: a single statement on a pooled connection, with the one retry a
dead connection deserves and the store's failures turned into the domain's IndicatorsUnavailable."""

from collections.abc import Callable
from typing import TypeVar

import sqlalchemy as sa

from chaos.domain.repositories import IndicatorsUnavailable

T = TypeVar("T")


def fetch(engine: sa.Engine, work: Callable[[sa.Connection], T]) -> T:
    """Run `work` on a pooled connection. A connection that turns out dead (database restarted,
    proxy cut it) invalidates the pool and is retried once on a fresh one, so a restart costs
    no request and the request path needs no pre-ping round trip."""
    try:
        try:
            return _run(engine, work)
        except sa.exc.DBAPIError as error:
            if not error.connection_invalidated:
                raise
            return _run(engine, work)
    except (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.TimeoutError) as error:
        raise IndicatorsUnavailable(str(error).splitlines()[0]) from error


def _run(engine: sa.Engine, work: Callable[[sa.Connection], T]) -> T:
    with engine.connect() as connection:
        return work(connection)
