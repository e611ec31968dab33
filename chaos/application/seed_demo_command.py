"""`chaos db seed-demo`: fill the database with synthetic contacts so that a fresh clone can train and serve.

The data is deterministic for a given seed and date (see chaos/infrastructure/demo). Seeding
replaces the whole content of `marketing` and `socio_eco` in one transaction, so running it twice
leaves the same rows. Its rows are marked as demo; on a database holding imported rows it refuses,
naming what would be lost, unless --force.
"""

import argparse
import sys
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from chaos.application.migrated_database import migrated_engine
from chaos.infrastructure.config import load_settings
from chaos.infrastructure.demo.facts import REAL_ROWS
from chaos.infrastructure.demo.generator import DEFAULT_SEED, generate
from chaos.infrastructure.demo.store import RealDataPresent, replace_tables


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
        subscription_rate=sum(row["subscription"] for row in demo.marketing) / len(demo.marketing),
        replaced=replaced,
    )


def register(actions: argparse._SubParsersAction) -> None:
    parser = actions.add_parser(
        "seed-demo",
        help="replace marketing and socio_eco with deterministic synthetic demo data",
        description="Generates contacts shaped like the real export over the 30 months ending this "
        "month, and REPLACES all rows of marketing and socio_eco with them (one transaction). "
        "Refuses when the tables hold imported data, unless --force.",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace imported data too (it is deleted; see `chaos db history`)",
    )
    parser.add_argument(
        "--rows", type=_positive, default=REAL_ROWS, help=f"contacts to generate (default {REAL_ROWS})"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (same seed, same data)")
    parser.set_defaults(handler=_seed_demo)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number of rows")
    return value


def _seed_demo(args: argparse.Namespace) -> int:
    print("preparing the database", file=sys.stderr)
    with migrated_engine(load_settings()) as engine:
        print(f"generating {args.rows} demo contacts (seed {args.seed})", file=sys.stderr)
        try:
            summary = seed_demo(engine, rows=args.rows, seed=args.seed, force=args.force)
        except RealDataPresent as error:
            print(f"chaos db seed-demo: {error}; nothing changed", file=sys.stderr)
            return 1
        print(summary.describe())
    return 0
