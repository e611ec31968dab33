"""The `chaos` command line: one entry point, sub-commands registered by the modules that own them.

Those modules hold only their arguments: a command imports its use case when it runs, so the
serving install (no training or demo extras) still answers `--help`, `--version`, `keys`, `db upgrade`
and the model commands, a command that needs an extra says which one instead of a traceback, and a
read-only command starts in well under a second (tests/delivery/test_cli_start.py measures it). The faults
any command can meet (configuration, database, model store) are answered here, once, in one line
(chaos.entrypoints.cli.faults).
"""

import argparse
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

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
from chaos.entrypoints.cli.faults import fault
from chaos.infrastructure.version import installed_version

EXTRA_MISSING = 2
"""The exit status of a command run without the extra it needs (as for a usage error)."""
CONFIGURATION_VARIABLE = "CHAOS_CONFIGURATION_PATH"
"""What `--config` sets, for this command and the processes it starts (gunicorn's workers)."""
COMMANDS = (db, train, calibrate, backtest, retrain, models, monitor, outcomes, serve, served, keys)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="chaos", description="Appetence scoring for term-deposit campaigns."
    )
    parser.add_argument("--version", action="version", version=f"chaos {installed_version()}")
    parser.add_argument(
        "--config",
        type=Path,
        metavar="PATH",
        help=f"the configuration file (instead of ${CONFIGURATION_VARIABLE}; structure: config_template.yml)",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMANDS:
        module.register(commands)
    return parser


def leaf_commands(parser: argparse.ArgumentParser | None = None) -> Iterator[argparse.ArgumentParser]:
    """Every runnable sub-command's parser (`db status`, `models list`...), from the registry."""
    parser = parser or build_parser()
    subcommands = [action for action in parser._actions if isinstance(action, argparse._SubParsersAction)]
    if not subcommands:
        yield parser
    for action in subcommands:
        for child in dict.fromkeys(action.choices.values()):  # aliases name the same parser
            yield from leaf_commands(child)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown:  # the sub-command's own usage, not the top level's
        args.parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    if args.config is not None:
        if not args.config.is_file():
            parser.error(f"--config {args.config}: no such file")
        os.environ[CONFIGURATION_VARIABLE] = str(args.config.resolve())
    extra = getattr(args, "extra", None)
    if extra and missing_extra(extra):
        print(f"{args.prog} needs: pip install 'chaos[{extra}]'", file=sys.stderr)
        return EXTRA_MISSING
    try:
        return args.handler(args) or 0
    except Exception as error:
        known = fault(error)
        if known is None:
            raise
        print(f"{args.prog}: {known.line}", file=sys.stderr)
        return known.status
