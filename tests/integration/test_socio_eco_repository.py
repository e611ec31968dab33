"""The SQL form of the as-of rule against a real PostgreSQL, compared with the domain rule."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from chaos.domain import as_of
from chaos.domain.repositories import IndicatorsUnavailable
from chaos.domain.socio_eco import SocioEcoIndicators
from chaos.infrastructure.config.settings import DatabaseSettings
from chaos.infrastructure.db.engine import create_engine
from chaos.infrastructure.db.socio_eco_repository import SqlSocioEcoRepository
from chaos.infrastructure.db.tables import socio_eco
from tests.support.network import free_port

ROWS = [
    SocioEcoIndicators(date(2008, 5, 31), 1.1, 93.994, -36.4),
    SocioEcoIndicators(date(2008, 6, 30), None, None, None),
    SocioEcoIndicators(date(2008, 7, 31), 1.4, 93.918, -42.7),
    SocioEcoIndicators(date(2008, 8, 31), 1.4, None, -36.1),
    SocioEcoIndicators(date(2008, 10, 31), -0.1, 93.798, -40.4),
]


def insert(engine, rows):
    with engine.begin() as connection:
        connection.execute(sa.insert(socio_eco), [vars_of(row) for row in rows])


def vars_of(row):
    return {"date": row.date, **row.as_features()}


def test_sql_lookup_agrees_with_the_domain_rule_every_day(engine):
    insert(engine, ROWS)
    repository = SqlSocioEcoRepository(engine)
    days = [date(2008, 4, 1) + timedelta(days=n) for n in range(260)]
    many = repository.as_of_many(days)
    for day in days:
        expected = as_of.pick(ROWS, day)
        assert repository.as_of(day) == expected
        assert many[day] == expected


def test_known_range_covers_complete_rows_only(engine):
    repository = SqlSocioEcoRepository(engine)
    assert repository.known_range() is None
    insert(engine, ROWS)
    assert repository.known_range() == (date(2008, 5, 31), date(2008, 10, 31))


def test_empty_batch_needs_no_query(engine):
    assert SqlSocioEcoRepository(engine).as_of_many([]) == {}


def test_unreachable_database_raises_indicators_unavailable():
    settings = DatabaseSettings(embedded=False, port=free_port(), connect_timeout_seconds=1)
    repository = SqlSocioEcoRepository(create_engine(settings))
    with pytest.raises(IndicatorsUnavailable):
        repository.as_of(date(2010, 1, 1))


def test_a_pooled_connection_killed_by_the_server_costs_no_request(engine, database_settings):
    """The request-path engine has no pre-ping: a dead pooled connection is retried once on a fresh one."""
    insert(engine, ROWS)
    request_engine = create_engine(database_settings, request_path=True)
    repository = SqlSocioEcoRepository(request_engine)
    try:
        assert repository.as_of(date(2008, 7, 1)) == ROWS[2]
        with engine.connect() as connection:
            killed = connection.scalar(
                sa.text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE application_name = 'chaos' AND pid <> pg_backend_pid() "
                    "AND datname = current_database()"
                )
            )
        assert killed >= 1
        assert repository.as_of(date(2008, 7, 1)) == ROWS[2]
    finally:
        request_engine.dispose()
