"""Files into tables: read and check every row of every file, refuse above the reject ratio, else write
them all in one transaction, so an import of two files changes both tables or neither."""

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import psycopg2
import sqlalchemy as sa

from chaos.infrastructure.importing import header
from chaos.infrastructure.importing.layouts import Layout
from chaos.infrastructure.importing.records import Checked, check
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
    """None when the import was refused (this file's or another file's rejects): nothing written."""

    @property
    def reject_ratio(self) -> float:
        return self.rejected / self.read if self.read else 0.0


def import_csv(engine: sa.Engine, path: Path, layout: Layout, **options) -> ImportReport:
    """One file: `import_files` of it alone."""
    (report,) = import_files(engine, [(path, layout)], **options)
    return report


def import_files(
    engine: sa.Engine,
    files: Sequence[tuple[Path, Layout]],
    *,
    max_reject_ratio: float,
    rejects_dir: Path,
    append: bool = False,
    progress: Callable[[str], None] = lambda _: None,
) -> list[ImportReport]:
    """Replace each table's content with its file's rows (or `append` them, by a real key), all files
    in one transaction; when any file has too many rejects, none is written. Each stage, and every
    few tens of thousands of rows checked, is reported to `progress`.

    Raises ImportFileError when a file or the database fails; nothing is written then."""
    checked = [_checked(path, layout, rejects_dir, append, progress) for path, layout in files]
    reports = [report for report, _ in checked]
    if any(report.reject_ratio > max_reject_ratio for report in reports):
        return reports
    path = files[0][0]
    progress(f"writing {', '.join(layout.table.name for _, layout in files)} in one transaction")
    try:
        with engine.begin() as connection:
            written = []
            for (path, layout), (report, rows) in zip(files, checked, strict=True):
                origin = Origin(path.name, report.sha256, report.rejected)
                written.append(write(connection, layout, rows.rows, append=append, origin=origin))
    except (sa.exc.SQLAlchemyError, psycopg2.Error) as error:  # COPY runs on the raw psycopg2 cursor
        problem = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        raise ImportFileError(f"{path}: database error, nothing imported: {problem}") from error
    return [replace(report, written=done) for report, done in zip(reports, written, strict=True)]


def _checked(
    path: Path, layout: Layout, rejects_dir: Path, append: bool, progress: Callable[[str], None]
) -> tuple[ImportReport, Checked]:
    progress(f"checking {path.name}")
    source = read_csv(path)
    plan = header.plan(source, layout)
    if append and not plan.has_real_key:
        raise ImportFileError(
            f"{path}: appending needs a real key, a named '{layout.key}' column identifying each row the "
            "same way in every export; this file's rows are keyed by their position, which the next "
            "export renumbers. Import it without --append to replace the table's content"
        )
    checked = check(source, plan, progress)
    progress(f"checked {path.name}: {checked.read} rows read, {checked.rejected_total} rejected")
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
    return report, checked
