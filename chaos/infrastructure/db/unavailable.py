"""Which database errors mean "the indicators cannot be read right now", defined once.

A connection refused, dropped or timed out (OperationalError, InterfaceError, the pool's
TimeoutError) is an outage the caller should retry; any other error is a bug and propagates as is.
"""

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa

from chaos.domain.repositories import IndicatorsUnavailable

DATABASE_ERRORS = (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.TimeoutError)


@contextmanager
def unavailable_on_outage(raised: type[IndicatorsUnavailable] = IndicatorsUnavailable) -> Iterator[None]:
    """Raise `raised` (IndicatorsUnavailable or a kind of it), with the driver's first line, for an
    error of DATABASE_ERRORS."""
    try:
        yield
    except DATABASE_ERRORS as error:
        raise raised(str(error).splitlines()[0]) from error
