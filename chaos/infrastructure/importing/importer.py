"""One file into one table: read, check every row, refuse above the reject ratio, else write all."""

from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

import psycopg2
import sqlalchemy as sa

from chaos.infrastructure.importing import header
from chaos.infrastructure.importing.layouts import Layout
from chaos.infrastructure.importing.records import check
from chaos.infrastructure.importing.rejects import write_rejects
from chaos.infrastructure.importing.source import ImportFileError, read_csv
from chaos.infrastructure.importing.writer import Origin, Written, write


@dataclass(frozen=True)
class ImportReport:
    path: Path
    table: str
    read: int
    rejected: int
    reasons: Counter[str]
    rejects_path: Path | None
    sha256: str
    written: Written | None
    """None when the import was refused: too many rejects, nothing written."""

    @property
    def reject_ratio(self) -> float:
        return self.rejected / self.read if self.read else 0.0


def import_csv(
    engine: sa.Engine,
    path: Path,
    layout: Layout,
    *,
    max_reject_ratio: float,
    rejects_dir: Path,
    append: bool = False,
    progress: bool = False,
) -> ImportReport:
    """Replace the table's content with the file's rows (or `append` them, by a real key).

    Raises ImportFileError when the file or the database fails; nothing is written then."""
    source = read_csv(path)
    plan = header.plan(source, layout)
    if append and not plan.has_real_key:
        raise ImportFileError(
            f"{path}: appending needs a real key, a named '{layout.key}' column identifying each row the "
            "same way in every export; this file's rows are keyed by their position, which the next "
            "export renumbers. Import it without --append to replace the table's content"
        )
    checked = check(source, plan, progress)
    rejects_path = write_rejects(source, checked.rejected, rejects_dir) if checked.rejected else None
    report = ImportReport(
        path,
        layout.table.name,
        checked.read,
        len(checked.rejected),
        checked.reasons(),
        rejects_path,
        source.sha256,
        None,
    )
    if report.reject_ratio > max_reject_ratio:
        return report
    try:
        origin = Origin(path.name, source.sha256, len(checked.rejected))
        written = write(engine, layout, checked.rows, append=append, origin=origin)
    except (sa.exc.SQLAlchemyError, psycopg2.Error) as error:  # COPY runs on the raw psycopg2 cursor
        problem = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        raise ImportFileError(f"{path}: database error, nothing imported: {problem}") from error
    return replace(report, written=written)
