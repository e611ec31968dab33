"""The `chaos` command line: one entry point, sub-commands registered by the modules that own them.

Those modules hold only their arguments: a command imports its use case when it runs, so the
serving install (no training or demo extras) still answers `--help`, `--version`, `keys`, `db upgrade`
and the model commands, and a command that needs an extra says which one instead of a traceback.
"""

import argparse
import sys
from collections.abc import Sequence

from chaos.entrypoints.cli import (
    backtest,
    calibrate,
    db,
    keys,
    models,
    monitor,
    outcomes,
    retrain,
    serve,
    served,
    train,
)
from chaos.entrypoints.cli.extras import missing_extra
from chaos.infrastructure.config import ConfigurationError
from chaos.infrastructure.version import installed_version

EXTRA_MISSING = 2
"""The exit status of a command run without the extra it needs (as for a usage error)."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="chaos", description="Appetence scoring for term-deposit campaigns."
    )
    parser.add_argument("--version", action="version", version=f"chaos {installed_version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in (db, train, calibrate, backtest, retrain, models, monitor, outcomes, serve, served, keys):
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    extra = getattr(args, "extra", None)
    if extra and missing_extra(extra):
        print(f"{args.prog} needs: pip install 'chaos[{extra}]'", file=sys.stderr)
        return EXTRA_MISSING
    try:
        return args.handler(args) or 0
    except ConfigurationError as error:
        print(f"chaos: configuration error: {error}", file=sys.stderr)
        return 2
