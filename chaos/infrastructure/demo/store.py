"""Writes demo data into the canonical tables, marked as demo, replacing whatever they held.

Demo data never lands on real data by accident: `replace_tables` refuses while either table holds
imported rows, unless forced, and says what would be lost.
"""

import sqlalchemy as sa

from chaos.infrastructure.db import lineage
from chaos.infrastructure.db.tables import DEMO, marketing, socio_eco
from chaos.infrastructure.demo.generator import DemoData


class RealDataPresent(Exception):
    """The tables hold imported rows that seeding would delete."""

    def __init__(self, real_rows: dict[str, int], last_import: lineage.Entry | None):
        self.real_rows = real_rows
        held = ", ".join(f"{count} {table}" for table, count in real_rows.items() if count)
        origin = (
            f" (last import: {last_import.file_name}, sha256 {last_import.sha256}, "
            f"{last_import.imported_at:%Y-%m-%d %H:%M %Z})"
            if last_import
            else ""
        )
        super().__init__(
            f"the database holds imported data: {held} rows{origin}; seeding demo data would delete them. "
            "Use another database for the demo, or --force to replace them anyway"
        )


def replace_tables(engine: sa.Engine, demo: DemoData, force: bool = False) -> dict[str, int]:
    """Empty `marketing` and `socio_eco`, then insert the demo rows; all or nothing.

    Raises RealDataPresent when imported rows would go, unless `force`. Returns how many rows each
    table held before, so the caller can say what was replaced."""
    with engine.begin() as connection:
        connection.execute(
            sa.text(f"LOCK TABLE {socio_eco.name}, {marketing.name} IN SHARE ROW EXCLUSIVE MODE")
        )
        counts = lineage.row_counts(connection)
        real = {table: by_marker[False] for table, by_marker in counts.items()}
        if any(real.values()) and not force:
            raise RealDataPresent(real, _last_import(connection))
        connection.execute(marketing.delete())
        connection.execute(socio_eco.delete())
        connection.execute(socio_eco.insert(), [{**row, DEMO: True} for row in demo.socio_eco])
        connection.execute(marketing.insert(), [{**row, DEMO: True} for row in demo.marketing])
        written = {socio_eco.name: len(demo.socio_eco), marketing.name: len(demo.marketing)}
        lineage.record(
            connection,
            [
                lineage.Entry(
                    table,
                    "demo",
                    "replace",
                    None,
                    None,
                    rows_new=written[table],
                    rows_removed=sum(by_marker.values()),
                )
                for table, by_marker in counts.items()
            ],
        )
    return {table: sum(by_marker.values()) for table, by_marker in counts.items()}


def _last_import(connection: sa.Connection) -> lineage.Entry | None:
    entries = lineage.entries(connection, kind="import", latest=1)
    return entries[0] if entries else None
