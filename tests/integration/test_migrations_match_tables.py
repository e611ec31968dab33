"""The Alembic migrations and tables.py describe one schema: Alembic's autogenerate comparison finds no
difference (table, column, type, nullability, index) between a PostgreSQL upgraded to head and the
metadata the code queries, so neither can change without the other."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from chaos.infrastructure.db.tables import metadata


def test_a_database_upgraded_to_head_has_exactly_the_tables_of_the_code(migrated_engine):
    with migrated_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []
