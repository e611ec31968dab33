"""`chaos train`: fit the appetence model on `marketing` joined to `socio_eco` (placeholder)."""

import argparse


def register(commands: argparse._SubParsersAction) -> None:
    del commands
