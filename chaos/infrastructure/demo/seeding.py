"""Demo data written to the database, behind `chaos db seed-demo` and a fresh clone's `chaos serve`.

The data is deterministic for a given seed and date (see chaos/infrastructure/demo). Seeding
replaces the whole content of `marketing` and `socio_eco` in one transaction, so running it twice
leaves the same rows. Its rows are marked as demo; on a database holding imported rows it refuses,
naming what would be lost, unless forced.
"""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from chaos.infrastructure.db.tables import marketing, socio_eco
from chaos.infrastructure.demo.facts import DEFAULT_SEED, REAL_ROWS
from chaos.infrastructure.demo.generator import generate
from chaos.infrastructure.demo.store import replace_tables


@dataclass(frozen=True)
class SeedSummary:
    marketing_rows: int
    socio_eco_months: int
    unknown_months: int
    first_date: date
    last_date: date
    subscription_rate: float
    replaced: dict[str, int]

    def describe(self) -> str:
        replaced = ", ".join(f"{count} {table}" for table, count in self.replaced.items())
        return (
            f"demo data: {self.marketing_rows} contacts {self.first_date} .. {self.last_date} "
            f"({self.subscription_rate:.1%} subscribed), {self.socio_eco_months} socio_eco months "
            f"({self.unknown_months} unknown); replaced {replaced} rows"
        )


def seed_demo(
    engine: sa.Engine,
    rows: int = REAL_ROWS,
    seed: int = DEFAULT_SEED,
    today: date | None = None,
    force: bool = False,
) -> SeedSummary:
    """Generate the demo data and replace the tables' content with it (schema must be current).

    Raises RealDataPresent when the tables hold imported rows, unless `force`."""
    demo = generate(rows, seed=seed, today=today)
    replaced = replace_tables(engine, demo, force=force)
    dates = [row["date"] for row in demo.marketing]
    return SeedSummary(
        marketing_rows=len(demo.marketing),
        socio_eco_months=len(demo.socio_eco),
        unknown_months=sum(row["idx_consumer_price"] is None for row in demo.socio_eco),
        first_date=min(dates),
        last_date=max(dates),
        subscription_rate=sum(row["subscription"] is True for row in demo.marketing) / len(demo.marketing),
        replaced=replaced,
    )


class DemoTables:
    """The embedded database as `chaos serve` prepares it (the application's DemoData port)."""

    def __init__(self, engine: sa.Engine):
        self.engine = engine

    def is_empty(self) -> bool:
        with self.engine.connect() as connection:
            return not any(
                connection.scalar(sa.select(sa.exists().select_from(table)))
                for table in (marketing, socio_eco)
            )

    def seed(self, rows: int) -> str:
        return seed_demo(self.engine, rows=rows).describe()
