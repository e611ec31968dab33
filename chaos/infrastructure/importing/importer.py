"""One file into one table: read, check every row, refuse above the reject ratio, else upsert all."""

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
from chaos.infrastructure.importing.writer import Written, upsert


@dataclass(frozen=True)
class ImportReport:
    path: Path
    table: str
    read: int
    rejected: int
    reasons: Counter[str]
    rejects_path: Path | None
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
    progress: bool = False,
) -> ImportReport:
    """Raises ImportFileError when the file or the database fails; nothing is written then."""
    source = read_csv(path)
    checked = check(source, header.plan(source, layout), progress)
    rejects_path = write_rejects(source, checked.rejected, rejects_dir) if checked.rejected else None
    report = ImportReport(
        path, layout.table.name, checked.read, len(checked.rejected), checked.reasons(), rejects_path, None
    )
    if report.reject_ratio > max_reject_ratio:
        return report
    try:
        written = upsert(engine, layout, checked.rows)
    except (sa.exc.SQLAlchemyError, psycopg2.Error) as error:  # COPY runs on the raw psycopg2 cursor
        problem = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        raise ImportFileError(f"{path}: database error, nothing imported: {problem}") from error
    return replace(report, written=written)
