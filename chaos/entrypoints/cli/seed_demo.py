"""`chaos db seed-demo`: fill the database with synthetic contacts so that a fresh clone can train and
serve (chaos.infrastructure.demo.seeding, composed by chaos.bootstrap)."""

import argparse
import sys

from chaos.entrypoints.cli.extras import command
from chaos.infrastructure.demo.facts import DEFAULT_SEED, REAL_ROWS


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
    command(parser, _seed_demo, extra="demo")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number of rows")
    return value


def _seed_demo(args: argparse.Namespace) -> int:
    from chaos import bootstrap
    from chaos.infrastructure.config import load_settings
    from chaos.infrastructure.demo.store import RealDataPresent

    try:
        summary = bootstrap.seeded_demo(
            load_settings(), args.rows, args.seed, args.force, lambda stage: print(stage, file=sys.stderr)
        )
    except RealDataPresent as error:
        print(f"chaos db seed-demo: {error}; nothing changed", file=sys.stderr)
        return 1
    print(summary.describe())
    return 0
