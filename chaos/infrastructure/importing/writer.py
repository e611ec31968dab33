"""The database write of one file, inside the import's transaction: a snapshot by default, with its
lineage entry.

Rows are streamed with COPY into a temporary staging table, then merged by a single
`INSERT ... SELECT ... ON CONFLICT DO UPDATE ... WHERE row IS DISTINCT FROM excluded`: COPY is
PostgreSQL's bulk path (45k rows in well under a second, several times faster than multi-row
INSERTs), the WHERE clause leaves identical rows untouched (no new row version, so re-importing a
file changes nothing), and RETURNING tells how many rows were actually written.

By default the file *replaces* the table: keys absent from the file are deleted in the same
transaction, so readers (MVCC) see the old content or the new one, never a mix. `append` keeps
them, for deltas keyed by a real key. Real data never sits beside demo data: every demo row of both
tables goes in the same transaction.

An import never writes `reported_outcome`, the outcomes marketing tools reported: a contact's
resolved report keeps superseding its export row (the view `contact_outcome`), and the export rows
whose resolved status contradicts such a report are named in `Written.contradicted` rather than
silently taking over (docs/data.md, "Reported outcomes").
"""

import contextlib
import csv
import io
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from chaos.domain.outcome import Outcome
from chaos.infrastructure.db import lineage
from chaos.infrastructure.db.tables import data_columns, marketing, reported_outcome, socio_eco
from chaos.infrastructure.importing.layouts import Layout


@dataclass(frozen=True)
class Origin:
    """What lineage records about the file being written."""

    file_name: str
    sha256: str
    rejected: int


@dataclass(frozen=True)
class Written:
    inserted: int
    updated: int
    unchanged: int
    removed: int
    """Real rows of this table absent from the file (replace mode), now deleted."""
    demo_removed: dict[str, int]
    """Demo rows deleted from each table because real data arrived."""
    contradicted: tuple[int, ...] = ()
    """Contacts whose resolved status in the file differs from their resolved reported outcome,
    which stays in force (ascending ids)."""

    @property
    def total(self) -> int:
        return self.inserted + self.updated + self.unchanged


def write(
    connection: sa.Connection,
    layout: Layout,
    rows: list[dict[str, object]],
    *,
    append: bool,
    origin: Origin,
) -> Written:
    """Write `rows` and record where they came from and what they changed, in the caller's transaction."""
    table = layout.table
    names = data_columns(table)
    staging = sa.table(f"staging_{table.name}", *(sa.column(name) for name in names))
    count = sa.select(sa.func.count()).select_from(table)
    # Writers wait (readers do not), so the counts below are exact and two imports never interleave;
    # both tables, because demo rows leave both. The request path's statement timeout does not
    # suit a bulk load.
    connection.execute(sa.text(f"LOCK TABLE {socio_eco.name}, {marketing.name} IN SHARE ROW EXCLUSIVE MODE"))
    connection.execute(sa.text("SET LOCAL statement_timeout = 0"))
    connection.execute(
        sa.text(
            f"CREATE TEMPORARY TABLE {staging.name} (LIKE {table.name} INCLUDING DEFAULTS) ON COMMIT DROP"
        )
    )
    with contextlib.closing(
        connection.connection.cursor()
    ) as cursor:  # COPY is a psycopg2 call, in the same transaction
        cursor.copy_expert(
            f"COPY {staging.name} ({', '.join(names)}) FROM STDIN WITH (FORMAT csv)", _csv(rows, names)
        )
    demo_removed = lineage.remove_demo_rows(connection)
    removed = 0 if append else connection.execute(_absent_from(layout, staging)).rowcount
    before = connection.execute(count).scalar_one()
    written = len(connection.execute(_merge(layout, staging)).all())
    inserted = connection.execute(count).scalar_one() - before
    contradicted = tuple(connection.scalars(_contradictions(staging))) if table is marketing else ()
    result = Written(inserted, written - inserted, len(rows) - written, removed, demo_removed, contradicted)
    lineage.record(connection, _entries(table.name, "append" if append else "replace", origin, result))
    return result


def _entries(table_name: str, mode: str, origin: Origin, result: Written) -> list[lineage.Entry]:
    own = lineage.Entry(
        table_name,
        "import",
        mode,
        origin.file_name,
        origin.sha256,
        rows_new=result.inserted,
        rows_changed=result.updated,
        rows_unchanged=result.unchanged,
        rows_removed=result.removed + result.demo_removed[table_name],
        rows_rejected=origin.rejected,
    )
    others = [
        lineage.Entry(name, "demo-removal", mode, origin.file_name, origin.sha256, rows_removed=count)
        for name, count in result.demo_removed.items()
        if name != table_name and count
    ]
    return [own, *others]


def _contradictions(staging: sa.TableClause) -> sa.Select:
    """Ids of the file's contacts resolved otherwise than a resolved report of theirs says."""
    pending = Outcome.PENDING.value
    return (
        sa.select(staging.c.id)
        .join(reported_outcome, reported_outcome.c.id == staging.c.id)
        .where(
            reported_outcome.c.outcome != pending,
            staging.c.outcome != pending,  # NULL (unknown) is no contradiction either
            staging.c.outcome != reported_outcome.c.outcome,
        )
        .order_by(staging.c.id)
    )


def _absent_from(layout: Layout, staging: sa.TableClause) -> sa.Delete:
    table = layout.table
    key = layout.key
    return table.delete().where(~sa.exists().where(staging.c[key] == table.c[key]))


def _merge(layout: Layout, staging: sa.TableClause) -> sa.Insert:
    table = layout.table
    names = data_columns(table)
    statement = insert(table).from_select(names, sa.select(*(staging.c[name] for name in names)))
    others = [name for name in names if name != layout.key]
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
