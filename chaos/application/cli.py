"""The `chaos` command line: one entry point, sub-commands registered by the modules that own them."""

import argparse
import sys
from collections.abc import Sequence

from chaos.application import (
    db_commands,
    keys_command,
    model_commands,
    serve_command,
    train_model_for_appetence,
)
from chaos.application.version import installed_version
from chaos.infrastructure.config import ConfigurationError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="chaos", description="Appetence scoring for term-deposit campaigns."
    )
    parser.add_argument("--version", action="version", version=f"chaos {installed_version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    db_commands.register(commands)
    train_model_for_appetence.register(commands)
    model_commands.register(commands)
    serve_command.register(commands)
    keys_command.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args) or 0
    except ConfigurationError as error:
        print(f"chaos: configuration error: {error}", file=sys.stderr)
        return 2
