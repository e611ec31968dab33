"""The data's lineage: which file (or the demo generator) wrote each table, when, and what changed.

Entries are written in the same transaction as the rows they describe, so the history never
claims an import that was rolled back.
"""

from dataclasses import dataclass, fields
from datetime import datetime

import sqlalchemy as sa

import chaos
from chaos.infrastructure.db.tables import DEMO, import_history, marketing, socio_eco

DATA_TABLES = (socio_eco, marketing)


@dataclass(frozen=True)
class Entry:
    table_name: str
    kind: str
    """"import" (a file), "demo" (seed-demo) or "demo-removal" (demo rows dropped by a real import)."""
    mode: str
    """"replace" (the table now holds exactly the file) or "append" (rows added or updated by key)."""
    file_name: str | None
    sha256: str | None
    rows_new: int = 0
    rows_changed: int = 0
    rows_unchanged: int = 0
    rows_removed: int = 0
    rows_rejected: int = 0
    imported_at: datetime | None = None
    """Set by the database when recorded."""
    chaos_version: str = chaos.__version__


def record(connection: sa.Connection, entries: list[Entry]) -> None:
    columns = [f.name for f in fields(Entry) if f.name != "imported_at"]
    connection.execute(
        import_history.insert(), [{name: getattr(e, name) for name in columns} for e in entries]
    )


def history(engine: sa.Engine) -> list[Entry]:
    """Every recorded write, oldest first."""
    with engine.connect() as connection:
        return entries(connection)


def entries(connection: sa.Connection, kind: str | None = None, latest: int | None = None) -> list[Entry]:
    """Recorded writes (of one `kind`, the `latest` n only if given), oldest first."""
    query = sa.select(*(import_history.c[f.name] for f in fields(Entry))).order_by(import_history.c.id.desc())
    if kind:
        query = query.where(import_history.c.kind == kind)
    rows = connection.execute(query.limit(latest)).mappings().all()
    return [Entry(**row) for row in reversed(rows)]


def row_counts(connection: sa.Connection) -> dict[str, dict[bool, int]]:
    """Rows of each data table by demo marker: {"marketing": {True: demo rows, False: real rows}}."""
    counts = {}
    for table in DATA_TABLES:
        query = sa.select(table.c[DEMO], sa.func.count()).group_by(table.c[DEMO])
        counts[table.name] = {False: 0, True: 0} | dict(connection.execute(query).all())
    return counts


def remove_demo_rows(connection: sa.Connection) -> dict[str, int]:
    """Delete every demo row of both tables (real data is arriving); how many left each table."""
    return {
        table.name: connection.execute(table.delete().where(table.c[DEMO])).rowcount for table in DATA_TABLES
    }
