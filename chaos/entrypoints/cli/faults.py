"""The faults every command can meet, one line each: a configuration it cannot use, a database it cannot
reach or that refuses it, a model store it cannot read. The dispatcher (`main`) asks here for any
exception a command lets through, so no command prints a traceback for them and a new command is
covered without a line of its own; anything else is a bug and keeps its traceback.

Exit statuses: 2 for a configuration error (as for a usage error), 1 for the others.
"""

import sys
from dataclasses import dataclass

CONFIGURATION = 2
UNAVAILABLE = 1


@dataclass(frozen=True)
class Fault:
    line: str
    status: int


def fault(error: BaseException) -> Fault | None:
    """The one line and exit status for `error`, or None when it is not a known fault (a bug). Only
    the libraries the command already imported are looked at: classifying costs no import."""
    from chaos.domain.calibration import UnreadableCalibrations
    from chaos.domain.model_store import ModelLoadError
    from chaos.domain.repositories import IndicatorsUnavailable

    if _is(error, "chaos.infrastructure.config.loader", "ConfigurationError"):
        return Fault(f"configuration error: {error}", CONFIGURATION)
    if _is(error, "chaos.infrastructure.db.embedded", "EmbeddedDatabaseError"):
        return Fault(f"the embedded PostgreSQL cannot be used: {_first_line(error)}", UNAVAILABLE)
    driver = _first_line(getattr(error, "orig", None) or error)  # the driver's own words, not the SQL
    if _is(error, "sqlalchemy.exc", "OperationalError") or _is(error, "sqlalchemy.exc", "InterfaceError"):
        return Fault(f"the database is unreachable: {driver}", UNAVAILABLE)
    if _is(error, "sqlalchemy.exc", "DBAPIError"):
        return Fault(f"the database refused the command: {driver}", UNAVAILABLE)
    if isinstance(error, IndicatorsUnavailable | UnreadableCalibrations):
        return Fault(f"the database cannot be read: {_first_line(error)}", UNAVAILABLE)
    if isinstance(error, ModelLoadError):
        return Fault(_first_line(error), UNAVAILABLE)
    return None


def _is(error: BaseException, module: str, name: str) -> bool:
    loaded = sys.modules.get(module)
    kind = getattr(loaded, name, None)
    return isinstance(kind, type) and isinstance(error, kind)


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0].strip() if lines else type(error).__name__
