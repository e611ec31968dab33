"""CSV that a spreadsheet opens without running anything in it: every CSV chaos writes goes through here.

Following OWASP's CSV injection guidance, a cell starting with `=`, `+`, `-`, `@`, a tab or a
carriage return is read by Excel, LibreOffice or Google Sheets as a formula (`=HYPERLINK(...)`,
`@SUM(...)`, `-2+3+cmd|...`), so such a cell is written behind a single quote, which spreadsheets
show as text. Numbers are left as they are (`-1`, `-0.25`, `+3`): they are values, not formulas,
and a caller reading the file back must get the same numbers.
"""

import csv
import re
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def neutralised(cell: Any) -> Any:
    """`cell`, behind a single quote when a spreadsheet would evaluate it."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


class SafeWriter:
    """`csv.writer` whose cells are `neutralised`."""

    def __init__(self, output: Any, **formatting: Any):
        self._writer = csv.writer(output, **formatting)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([neutralised(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)
