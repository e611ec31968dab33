"""The database write: one transaction per file, upserting by key so that a re-import changes nothing.

Rows are streamed with COPY into a temporary staging table, then merged by a single
`INSERT ... SELECT ... ON CONFLICT DO UPDATE ... WHERE row IS DISTINCT FROM excluded`: COPY is
PostgreSQL's bulk path (45k rows in well under a second, several times faster than multi-row
INSERTs), the single merge statement is all or nothing, the WHERE clause leaves identical rows
untouched (no new row version), and RETURNING tells how many rows were actually written.
"""

import contextlib
import csv
import io
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from chaos.infrastructure.importing.layouts import Layout


@dataclass(frozen=True)
class Written:
    inserted: int
    updated: int
    unchanged: int

    @property
    def total(self) -> int:
        return self.inserted + self.updated + self.unchanged


def upsert(engine: sa.Engine, layout: Layout, rows: list[dict[str, object]]) -> Written:
    table = layout.table
    names = list(table.c.keys())
    staging = sa.table(f"staging_{table.name}", *(sa.column(name) for name in names))
    count = sa.select(sa.func.count()).select_from(table)
    with engine.begin() as connection:
        # Writers wait (readers do not), so the counts below are exact and two imports never interleave;
        # the request path's statement timeout does not suit a bulk load.
        connection.execute(sa.text(f"LOCK TABLE {table.name} IN SHARE ROW EXCLUSIVE MODE"))
        connection.execute(sa.text("SET LOCAL statement_timeout = 0"))
        before = connection.execute(count).scalar_one()
        connection.execute(
            sa.text(f"CREATE TEMPORARY TABLE {staging.name} (LIKE {table.name}) ON COMMIT DROP")
        )
        with contextlib.closing(
            connection.connection.cursor()
        ) as cursor:  # COPY is a psycopg2 call, in the same transaction
            cursor.copy_expert(
                f"COPY {staging.name} ({', '.join(names)}) FROM STDIN WITH (FORMAT csv)", _csv(rows, names)
            )
        written = len(connection.execute(_merge(layout, staging)).all())
        inserted = connection.execute(count).scalar_one() - before
    return Written(inserted, written - inserted, len(rows) - written)


def _merge(layout: Layout, staging: sa.TableClause) -> sa.Insert:
    table = layout.table
    statement = insert(table).from_select(list(table.c.keys()), sa.select(staging))
    others = [column.name for column in table.c if column.name != layout.key]
    return statement.on_conflict_do_update(
        index_elements=[layout.key],
        set_={name: statement.excluded[name] for name in others},
        where=sa.tuple_(*(table.c[name] for name in others)).is_distinct_from(
            sa.tuple_(*(statement.excluded[name] for name in others))
        ),
    ).returning(table.c[layout.key])


def _csv(rows: list[dict[str, object]], names: list[str]) -> io.StringIO:
    """COPY's CSV: None becomes an unquoted empty field, which COPY reads as NULL (labels are never
    empty strings: the parsers map blanks to None)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows([row[name] for name in names] for row in rows)
    buffer.seek(0)
    return buffer
