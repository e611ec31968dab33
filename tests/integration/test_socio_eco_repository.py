"""The SQL form of the as-of rule against a real PostgreSQL, compared with the domain rule."""

from datetime import date, timedelta

import numpy as np
import pytest
import sqlalchemy as sa

from chaos.domain import as_of
from chaos.domain.repositories import IndicatorsUnavailable
from chaos.domain.socio_eco import SocioEcoIndicators
from chaos.infrastructure.config.settings import DatabaseSettings
from chaos.infrastructure.db.engine import create_engine
from chaos.infrastructure.db.socio_eco_repository import SqlSocioEcoRepository
from chaos.infrastructure.db.tables import socio_eco
from chaos.infrastructure.db.worker_database import WorkerDatabase
from harness.network import free_port

ROWS = [
    SocioEcoIndicators(date(2008, 1, 31), 1.2, 93.1, -35.0),
    SocioEcoIndicators(date(2008, 2, 29), 1.3, 93.2, -35.5),  # leap day
    SocioEcoIndicators(date(2008, 5, 31), 1.1, 93.994, -36.4),
    SocioEcoIndicators(date(2008, 6, 30), None, None, None),
    SocioEcoIndicators(date(2008, 7, 31), 1.4, 93.918, -42.7),
    SocioEcoIndicators(date(2008, 8, 31), 1.4, None, -36.1),
    SocioEcoIndicators(date(2008, 10, 31), -0.1, 93.798, -40.4),
    SocioEcoIndicators(date(2009, 2, 28), -0.2, 92.9, -41.0),
    SocioEcoIndicators(date(2012, 2, 29), 0.3, 94.0, -38.0),
]
EDGES = [
    date(2008, 2, 28),
    date(2008, 2, 29),
    date(2008, 3, 1),  # leap year
    date(2009, 2, 28),
    date(2009, 3, 1),  # common year
    date(2012, 2, 29),
    date(2012, 3, 1),
    date(2012, 3, 2),
    date(2008, 12, 31),
    date(2009, 1, 1),  # year end
]


def insert(engine, rows):
    with engine.begin() as connection:
        connection.execute(sa.insert(socio_eco), [vars_of(row) for row in rows])


def vars_of(row):
    return {"date": row.date, **row.as_features()}


@pytest.mark.parametrize("lag", [0, 1, 29])
def test_sql_vectorised_and_python_rules_agree_every_day(engine, lag):
    """Every day of 14 months (month ends, first days of months, leap days) and a few later edges."""
    insert(engine, ROWS)
    repository = SqlSocioEcoRepository(engine)
    days = [date(2008, 1, 1) + timedelta(days=n) for n in range(430)] + EDGES
    many = repository.as_of_many(days, lag)
    indices = as_of.pick_indices(ROWS, np.array(days, dtype="datetime64[D]"), lag)
    for day, index in zip(days, indices.tolist(), strict=True):
        expected = as_of.pick(ROWS, day, lag)
        assert repository.as_of(day, lag) == expected, day
        assert many[day] == expected, day
        assert (ROWS[index] if index >= 0 else None) == expected, day


def test_a_row_is_used_from_the_day_after_its_date(engine):
    insert(engine, ROWS)
    repository = SqlSocioEcoRepository(engine)
    picked = repository.as_of_many([date(2008, 2, 29), date(2008, 3, 1), date(2012, 2, 29), date(2012, 3, 1)])
    assert [picked[day].date for day in sorted(picked)] == [
        date(2008, 1, 31),
        date(2008, 2, 29),
        date(2009, 2, 28),
        date(2012, 2, 29),
    ]


def test_known_range_covers_complete_rows_only(engine):
    repository = SqlSocioEcoRepository(engine)
    assert repository.known_range() is None
    insert(engine, ROWS)
    assert repository.known_range() == (date(2008, 1, 31), date(2012, 2, 29))


def test_empty_batch_needs_no_query(engine):
    assert SqlSocioEcoRepository(engine).as_of_many([]) == {}


def test_unreachable_database_raises_indicators_unavailable():
    settings = DatabaseSettings(embedded=False, port=free_port(), connect_timeout_seconds=1)
    repository = SqlSocioEcoRepository(create_engine(settings))
    with pytest.raises(IndicatorsUnavailable):
        repository.as_of(date(2010, 1, 1))


def kill_chaos_connections(engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(
            sa.text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE application_name = 'chaos' AND pid <> pg_backend_pid() "
                "AND datname = current_database()"
            )
        )


def test_a_pooled_connection_killed_by_the_server_costs_no_request(engine, database_settings):
    """The request-path engine has no pre-ping: a dead pooled connection is retried once on a fresh one."""
    insert(engine, ROWS)
    request_engine = create_engine(database_settings, request_path=True)
    repository = SqlSocioEcoRepository(request_engine)
    try:
        assert repository.as_of(date(2008, 8, 1)) == ROWS[4]
        killed = kill_chaos_connections(engine)
        assert killed >= 1
        assert repository.as_of(date(2008, 8, 1)) == ROWS[4]
    finally:
        request_engine.dispose()


def test_a_restart_killing_every_pooled_connection_costs_no_request(engine, database_settings):
    """The retry must not meet the next dead connection of the pool: the whole pool is renewed."""
    insert(engine, ROWS)
    request_engine = create_engine(database_settings, request_path=True)
    repository = SqlSocioEcoRepository(request_engine)
    try:
        with request_engine.connect(), request_engine.connect(), request_engine.connect():
            pass  # three connections in the pool
        assert request_engine.pool.checkedin() == 3
        assert kill_chaos_connections(engine) >= 3
        assert repository.as_of(date(2008, 8, 1)) == ROWS[4]
        assert repository.as_of(date(2008, 8, 1)) == ROWS[4]
    finally:
        request_engine.dispose()


def test_a_statement_the_server_cancels_is_an_outage_and_the_connection_stays(engine, database_settings):
    """The server's statement_timeout is IndicatorsUnavailable (a 503), without a retry; the connection
    was not lost, so the next read reuses it."""
    insert(engine, ROWS)
    request_engine = create_engine(database_settings, request_path=True)
    repository = SqlSocioEcoRepository(request_engine)
    try:
        assert repository.as_of(date(2008, 8, 1)) == ROWS[4]
        with engine.begin() as connection:  # holds the table: the read waits for its lock
            connection.execute(sa.text("LOCK TABLE socio_eco IN ACCESS EXCLUSIVE MODE"))
            with pytest.raises(IndicatorsUnavailable, match="statement timeout"):
                repository.as_of(date(2008, 8, 1))
        assert request_engine.pool.checkedin() == 1
        assert repository.as_of(date(2008, 8, 1)) == ROWS[4]
        assert request_engine.pool.checkedin() == 1
    finally:
        request_engine.dispose()


def test_the_readiness_ping_after_a_restart_costs_no_failed_probe(engine, database_settings):
    """/ready's `SELECT 1` reads on the request-path engine too: a pooled connection the server killed
    is retried once on a fresh one, or every worker's first probe after a restart would say 503."""
    database = WorkerDatabase(database_settings)
    try:
        database.ping()
        assert kill_chaos_connections(engine) >= 1
        database.ping()
    finally:
        database.engine.dispose()
