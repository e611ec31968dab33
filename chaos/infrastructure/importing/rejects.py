"""The rejects file: each rejected record as read, after its line number and reason, to fix and re-import;
a cell a spreadsheet would run as a formula is written as text (chaos.infrastructure.csv_output)."""

from datetime import datetime
from pathlib import Path

from chaos.infrastructure.csv_output import SafeWriter
from chaos.infrastructure.importing.records import Rejected
from chaos.infrastructure.importing.source import CsvSource


def write_rejects(source: CsvSource, rejected: list[Rejected], directory: Path) -> Path:
    """A new UTF-8 file per run, named after the source and the time, in the source's separator."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{source.path.stem}.rejects.{datetime.now():%Y%m%dT%H%M%S.%f}.csv"
    with path.open("w", encoding="utf-8", newline="") as output:
        writer = SafeWriter(output, delimiter=source.delimiter)
        writer.writerow(["line", "reason", *source.header])
        writer.writerows([row.line, row.reason, *row.fields] for row in rejected)
    return path
