"""One read on the request path: a single statement on a pooled connection, with the one retry a
dead connection deserves, and an outage turned into the domain's IndicatorsUnavailable."""

from collections.abc import Callable, Mapping
from contextlib import closing
from dataclasses import dataclass
from typing import Any, TypeVar

import sqlalchemy as sa

from chaos.infrastructure.db.unavailable import unavailable_on_outage

T = TypeVar("T")


def fetch(engine: sa.Engine, work: Callable[[sa.Connection], T]) -> T:
    """Run `work` on a pooled connection. A connection that turns out dead (database restarted,
    proxy cut it) invalidates the pool and is retried once on a fresh one, so a restart costs
    no request and the request path needs no pre-ping round trip."""
    return _retried_once_if_dead(lambda: _run(engine, work))


@dataclass(frozen=True)
class DriverStatement:
    """A select compiled once to the driver's SQL, for `first_row`.

    SQLAlchemy's execution context (parameter and result processing, result metadata, Row objects)
    cost the hottest read more client CPU than the driver's own round trip. A statement whose
    parameters and columns the driver converts by itself (psycopg2: dates, double precision) needs
    none of it: its SQL and its constant parameters (such as a LIMIT) are kept here."""

    sql: str
    constants: Mapping[str, Any]

    @classmethod
    def compiled(cls, statement: sa.Select, dialect: sa.Dialect) -> "DriverStatement":
        compiled = statement.compile(dialect=dialect)
        if compiled.positional:
            raise ValueError(f"{dialect.driver} takes positional parameters; first_row passes them by name")
        bound = {name: value for name, value in compiled.params.items() if value is not None}
        return cls(compiled.string, bound)


def first_row(engine: sa.Engine, statement: DriverStatement, parameters: Mapping[str, Any]) -> tuple | None:
    """The first row of `statement`, run on the driver's cursor of a pooled connection: the pool,
    the statement deadline, the retry on a dead connection and the errors are those of `fetch`;
    SQLAlchemy's execute events (`before_cursor_execute`) do not see it."""
    return _retried_once_if_dead(lambda: _first_row(engine, statement, {**statement.constants, **parameters}))


def _retried_once_if_dead(attempt: Callable[[], T]) -> T:
    with unavailable_on_outage():
        try:
            return attempt()
        except sa.exc.DBAPIError as error:
            if not error.connection_invalidated:
                raise
            return attempt()


def _run(engine: sa.Engine, work: Callable[[sa.Connection], T]) -> T:
    with engine.connect() as connection:
        return work(connection)


def _first_row(engine: sa.Engine, statement: DriverStatement, parameters: dict[str, Any]) -> tuple | None:
    """What SQLAlchemy's Connection does on an error, done here: the driver's error becomes the
    same SQLAlchemy exception, and a dead connection is invalidated along with the rest of the pool
    (SQLAlchemy's documented way, `Engine.dispose`), since a restarted server killed them all."""
    dialect = engine.dialect
    try:
        connection = engine.raw_connection()
    except dialect.loaded_dbapi.Error as error:
        raise _translated(engine, statement, parameters, error, dead=False) from error
    try:
        with closing(connection.cursor()) as cursor:
            cursor.execute(statement.sql, parameters)
            return cursor.fetchone()
    except dialect.loaded_dbapi.Error as error:
        dead = dialect.is_disconnect(error, connection.dbapi_connection, None)
        if dead:
            connection.invalidate(error)
            engine.dispose()
        raise _translated(engine, statement, parameters, error, dead) from error
    finally:
        connection.close()


def _translated(
    engine: sa.Engine, statement: DriverStatement, parameters: dict[str, Any], error: Exception, dead: bool
) -> BaseException:
    return sa.exc.DBAPIError.instance(
        statement.sql,
        parameters,
        error,
        engine.dialect.loaded_dbapi.Error,
        hide_parameters=engine.hide_parameters,
        connection_invalidated=dead,
        dialect=engine.dialect,
    )
