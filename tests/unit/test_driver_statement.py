"""A select compiled once for the driver's cursor: named parameters, its own bound values kept."""

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from chaos.infrastructure.db.request_reads import DriverStatement

TABLE = sa.table("t", sa.column("day", sa.Date))
LATEST = sa.select(TABLE.c.day).where(TABLE.c.day <= sa.bindparam("cutoff", type_=sa.Date)).limit(1)


def test_the_statement_keeps_its_sql_and_its_own_bound_values():
    statement = DriverStatement.compiled(LATEST, postgresql.psycopg2.dialect())
    assert "t.day <= %(cutoff)s" in statement.sql
    assert statement.constants == {"param_1": 1}  # the LIMIT; the cutoff is the caller's


def test_a_driver_taking_positional_parameters_is_refused():
    with pytest.raises(ValueError, match="positional"):
        DriverStatement.compiled(LATEST, sqlite.dialect())
