"""Writes demo data into the canonical tables, replacing whatever they held, in one transaction."""

import sqlalchemy as sa

from chaos.infrastructure.db.tables import marketing, socio_eco
from chaos.infrastructure.demo.generator import DemoData


def replace_tables(engine: sa.Engine, demo: DemoData) -> dict[str, int]:
    """Empty `marketing` and `socio_eco`, then insert the demo rows; all or nothing.

    Returns how many rows each table held before, so the caller can say what was replaced."""
    with engine.begin() as connection:
        replaced = {
            table.name: connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
            for table in (marketing, socio_eco)
        }
        connection.execute(marketing.delete())
        connection.execute(socio_eco.delete())
        connection.execute(socio_eco.insert(), demo.socio_eco)
        connection.execute(marketing.insert(), demo.marketing)
    return replaced
