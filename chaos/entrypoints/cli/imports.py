"""`chaos db import`: load the bank's CSV exports into socio_eco and marketing, file by file."""

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from chaos.entrypoints.cli.extras import command

if TYPE_CHECKING:
    from chaos.infrastructure.importing import ImportReport

CONTRADICTIONS_SHOWN = 10
"""Contact ids named when an export contradicts reported outcomes; the count says how many in all."""


def register(actions: argparse._SubParsersAction) -> None:
    parser = actions.add_parser(
        "import",
        help="import CSV exports (socio-economic months first, then marketing contacts)",
        description="Each file is a snapshot: the table's content becomes exactly the file's valid rows, "
        "and both files of one import are written in one transaction (both tables change or neither; "
        "a file refused for its rejects leaves the other unwritten too), so readers see the old data "
        "or the new, and importing the same file again changes nothing. Demo rows of both tables are "
        "removed. Each import is recorded with the file's sha256 (`chaos db history`). Rejected rows "
        "are written to a file "
        "under import.rejects_dir with their reason.",
    )
    parser.add_argument(
        "--append",
        action="store_true",
        help="add or update rows by key and keep the others (a delta); needs a real key: socio_eco's date, "
        "or a named 'id' column in a marketing file (the export's unnamed row index is not one)",
    )
    parser.add_argument("--marketing", type=Path, metavar="FILE", help="contacts export (data.csv)")
    parser.add_argument("--socio-eco", type=Path, metavar="FILE", help="monthly indicators (socio_eco.csv)")
    parser.add_argument(
        "--max-reject-ratio",
        type=_ratio,
        metavar="RATIO",
        help="refuse a file whose share of rejected rows exceeds this (default: import.max_reject_ratio)",
    )
    command(parser, _import)


def _ratio(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a ratio between 0 and 1")
    return value


def _import(args: argparse.Namespace) -> int:
    import sqlalchemy as sa

    from chaos import bootstrap
    from chaos.entrypoints.cli.train import progress_printer
    from chaos.infrastructure.config import load_settings
    from chaos.infrastructure.db.embedded import EmbeddedDatabaseError
    from chaos.infrastructure.importing import MARKETING, SOCIO_ECO, ImportFileError

    given = ((args.socio_eco, SOCIO_ECO), (args.marketing, MARKETING))
    jobs = [(path, layout) for path, layout in given if path]
    if not jobs:
        print("chaos db import: give --marketing FILE, --socio-eco FILE or both", file=sys.stderr)
        return 2
    settings = load_settings()
    max_ratio = settings.importer.max_reject_ratio if args.max_reject_ratio is None else args.max_reject_ratio
    try:
        with bootstrap.csv_import(settings) as import_files:
            reports = import_files(
                jobs,
                max_reject_ratio=max_ratio,
                rejects_dir=settings.importer.rejects_dir,
                append=args.append,
                progress=progress_printer(),
            )
        for report in reports:
            print(_summary(report, max_ratio))
        if any(report.written is None for report in reports):
            return 1
    except ImportFileError as error:
        print(f"chaos: {error}", file=sys.stderr)
        return 1
    except (EmbeddedDatabaseError, sa.exc.OperationalError) as error:
        print(f"chaos: database unavailable, nothing imported: {str(error).splitlines()[0]}", file=sys.stderr)
        return 1
    return 0


def _summary(report: "ImportReport", max_ratio: float) -> str:
    lines = [f"{report.path} (sha256 {report.sha256}) -> {report.table}: {report.read} read"]
    if report.written is None and report.reject_ratio > max_ratio:
        lines.append(
            f"  REFUSED: {report.rejected} rejected ({report.reject_ratio:.1%}) exceeds the maximum "
            f"reject ratio {max_ratio:.1%}; nothing written"
        )
    elif report.written is None:
        lines.append(
            "  not written: the other file was refused, and an import changes both tables or neither"
        )
    else:
        written = report.written
        lines.append(
            f"  {written.total} imported ({written.inserted} new, {written.updated} changed, "
            f"{written.unchanged} unchanged), {written.removed} removed, {report.rejected} rejected"
        )
        demo = ", ".join(f"{count} {table}" for table, count in written.demo_removed.items() if count)
        if demo:
            lines.append(f"  demo data removed: {demo} rows (real and demo data never mix)")
        if written.contradicted:
            shown = ", ".join(str(contact) for contact in written.contradicted[:CONTRADICTIONS_SHOWN])
            more = "" if len(written.contradicted) <= CONTRADICTIONS_SHOWN else ", ..."
            lines.append(
                f"  {len(written.contradicted)} contact(s) resolved otherwise by a reported outcome, which "
                f"stays in force (ids {shown}{more}); POST /outcomes?replace=true to adopt the file's status"
            )
    lines.extend(f"    {count:>7}  {kind}" for kind, count in report.reasons.most_common())
    if report.rejects_path:
        lines.append(f"  rejected rows: {report.rejects_path}")
    return "\n".join(lines)
