"""`chaos db ...`: manage the embedded server, the schema, imports and demo data."""

import argparse
import sys

from chaos.application import import_command, seed_demo_command
from chaos.application.migrated_database import migrated_engine
from chaos.infrastructure.config import Settings, load_settings
from chaos.infrastructure.db import lineage, schema
from chaos.infrastructure.db.embedded import EmbeddedDatabaseError, EmbeddedPostgres


def register(commands: argparse._SubParsersAction) -> None:
    db = commands.add_parser("db", help="database: start|stop|status|upgrade|import|history|seed-demo")
    actions = db.add_subparsers(dest="action", required=True, metavar="ACTION")
    actions.add_parser("start", help="start the embedded PostgreSQL").set_defaults(handler=_start)
    actions.add_parser("stop", help="stop the embedded PostgreSQL").set_defaults(handler=_stop)
    actions.add_parser("status", help="is the embedded PostgreSQL running?").set_defaults(handler=_status)
    actions.add_parser("upgrade", help="create or upgrade the schema (Alembic)").set_defaults(
        handler=_upgrade
    )
    import_command.register(actions)
    actions.add_parser(
        "history", help="list every import and demo seeding: file, sha256, rows changed, time, version"
    ).set_defaults(handler=_history)
    seed_demo_command.register(actions)


def _embedded(settings: Settings) -> EmbeddedPostgres:
    if not settings.database.embedded:
        sys.exit("chaos: database.embedded is false: this command manages the embedded server only")
    return EmbeddedPostgres(settings.database)


def _start(args: argparse.Namespace) -> int:
    try:
        print(_embedded(load_settings()).start().describe())
    except EmbeddedDatabaseError as error:
        print(f"chaos: {error}", file=sys.stderr)
        return 1
    return 0


def _stop(args: argparse.Namespace) -> int:
    print(_embedded(load_settings()).stop().describe())
    return 0


def _status(args: argparse.Namespace) -> int:
    status = _embedded(load_settings()).status()
    print(status.describe())
    return 0 if status.running else 3


def _history(args: argparse.Namespace) -> int:
    with migrated_engine(load_settings()) as engine:
        entries = lineage.history(engine)
    if not entries:
        print("no import recorded: the tables are empty or predate lineage")
    for entry in entries:
        print(describe(entry))
    return 0


def describe(entry: lineage.Entry) -> str:
    source = f"{entry.file_name} sha256 {entry.sha256}" if entry.file_name else "generated"
    return (
        f"{entry.imported_at:%Y-%m-%d %H:%M:%S%z}  {entry.table_name:<9} {entry.kind:<12} {entry.mode:<7} "
        f"new {entry.rows_new}, changed {entry.rows_changed}, unchanged {entry.rows_unchanged}, "
        f"removed {entry.rows_removed}, rejected {entry.rows_rejected}  {source}  chaos {entry.chaos_version}"
    )


def _upgrade(args: argparse.Namespace) -> int:
    with migrated_engine(load_settings()) as engine:
        print(f"schema at revision {schema.current_revision(engine)}")
    return 0
