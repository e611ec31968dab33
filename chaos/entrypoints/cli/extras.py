"""Which optional extras of the chaos distribution are installed, read from its own metadata.

`pyproject.toml` stays the one list of what each extra brings: an extra is missing when any
distribution it requires is not installed.
"""

import argparse
import re
from collections.abc import Callable
from importlib import metadata

EXTRA_MARKER = re.compile(r"""extra\s*==\s*["']([\w.-]+)["']""")
DISTRIBUTION_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")

Handler = Callable[[argparse.Namespace], int]


def missing_extra(extra: str) -> bool:
    """True when a distribution that `chaos[extra]` requires is not installed. Sources that were
    never installed have no metadata to read: the command then runs and its imports decide."""
    try:
        requirements = metadata.requires("chaos") or []
    except metadata.PackageNotFoundError:
        return False
    for requirement in requirements:
        marker = EXTRA_MARKER.search(requirement)
        name = DISTRIBUTION_NAME.match(requirement)
        if marker and marker.group(1) == extra and name:
            try:
                metadata.version(name.group(0))
            except metadata.PackageNotFoundError:
                return True
    return False


def command(parser: argparse.ArgumentParser, handler: Handler, extra: str | None = None) -> None:
    """Bind a sub-command's handler, and the extra that `main` checks before running it; the parser
    itself too, so that a bad flag is reported with this sub-command's usage."""
    parser.set_defaults(handler=handler, extra=extra, prog=parser.prog, parser=parser)
