"""Parsers for one CSV cell: trimmed text in, typed value out, or `InvalidValue` saying what is wrong.

Plain functions rather than a pydantic model: each one is a few lines, runs fast on 45k rows, and
its message ("is not an integer") is the exact reason shown to the user and counted in the summary.
Number syntax is checked with regular expressions because `int()`/`float()` also accept `1_000`,
`nan` or non-ASCII digits, which no export means.
"""

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import lru_cache

from chaos.domain.outcome import Outcome, UnknownOutcome
from chaos.domain.vocabulary import NO_LABELS, YES_LABELS
from chaos.infrastructure.csv_output import FORMULA_STARTS

UNKNOWN_TOKENS = frozenset({"", "???"})
"""How exports spell an unknown value; every column maps them to NULL."""

UNKNOWN_AGE = 123
"""The export's sentinel for an unknown age."""

DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y")

# "12.0" too: pandas writes an integer column that holds NULLs as floats, so exports made with it
# spell whole numbers that way.
_INTEGER = re.compile(r"[+-]?[0-9]+(?:\.0*)?")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)(?:[eE][+-]?[0-9]+)?")

Parser = Callable[[str], object]


class InvalidValue(ValueError):
    """`problem` completes the sentence "<column>: '<text>' ...", e.g. "is not an integer"."""

    def __init__(self, problem: str):
        super().__init__(problem)
        self.problem = problem


def clean(text: str) -> str | None:
    """The trimmed text, or None when the export says the value is unknown."""
    text = text.strip()
    return None if text in UNKNOWN_TOKENS else text


def label(text: str) -> str:
    """A label as written, unless PostgreSQL cannot store it or a spreadsheet would run it: a label is
    learnt by training and written back in batch answers, so a formula must not get in."""
    if "\x00" in text:
        raise InvalidValue("contains a NUL character, which PostgreSQL text cannot hold")
    if text.startswith(FORMULA_STARTS):
        raise InvalidValue(f"starts with {text[0]!r}, which a spreadsheet would run as a formula")
    return text


def integer(low: int, high: int, unknown: int | None = None) -> Callable[[str], int | None]:
    """A parser of whole numbers within [low, high]: the bounds keep PostgreSQL from failing mid-file,
    or hold a column to the domain's range. `unknown` is a sentinel the export writes for an unknown
    value, read as None whatever the bounds."""

    def parse(text: str) -> int | None:
        if not _INTEGER.fullmatch(text):
            raise InvalidValue("is not an integer")
        value = int(text.split(".")[0])
        if value == unknown:
            return None
        if not low <= value <= high:
            raise InvalidValue(f"is out of range [{low}, {high}]")
        return value

    return parse


def number(text: str) -> float:
    """A finite decimal number; a decimal comma is accepted (French exports)."""
    if not _NUMBER.fullmatch(text):
        raise InvalidValue("is not a number")
    return float(text.replace(",", "."))


@lru_cache(maxsize=4096)
def day(text: str) -> date:
    """ISO or day-first dates; cached because an export holds few distinct dates."""
    for layout in DATE_FORMATS:
        try:
            return datetime.strptime(text, layout).date()
        except ValueError:
            continue
    raise InvalidValue("is not a date (YYYY-MM-DD or DD-MM-YYYY)")


def month_end(text: str) -> date:
    """A socio_eco date: rows are dated on the last day of their month."""
    value = day(text)
    if (value + timedelta(days=1)).day != 1:
        raise InvalidValue("is not the last day of a month")
    return value


_NOT_A_FLAG = f"is not yes/no ({', '.join(sorted(YES_LABELS))} / {', '.join(sorted(NO_LABELS))})"


def flag(text: str) -> bool:
    lowered = text.lower()
    if lowered in YES_LABELS:
        return True
    if lowered in NO_LABELS:
        return False
    raise InvalidValue(_NOT_A_FLAG)


def age(low: int, high: int) -> Callable[[str], int | None]:
    """A parser of ages in years within [low, high]; the sentinel 123 means unknown."""
    return integer(low, high, unknown=UNKNOWN_AGE)


def outcome(text: str) -> str:
    """One of the bank's five statuses: any other would be silently read as a label it is not."""
    try:
        return Outcome.parse(text).value
    except UnknownOutcome as error:
        allowed = ", ".join(repr(status.value) for status in Outcome)
        raise InvalidValue(f"is not a status (one of {allowed})") from error
