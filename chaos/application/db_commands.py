"""`chaos db ...`: manage the embedded server, the schema, imports and demo data."""

import argparse
import sys

from chaos.application import import_command, seed_demo_command
from chaos.application.migrated_database import migrated_engine
from chaos.infrastructure.config import Settings, load_settings
from chaos.infrastructure.db import schema
from chaos.infrastructure.db.embedded import EmbeddedDatabaseError, EmbeddedPostgres


def register(commands: argparse._SubParsersAction) -> None:
    db = commands.add_parser("db", help="database: start|stop|status|upgrade|import|seed-demo")
    actions = db.add_subparsers(dest="action", required=True, metavar="ACTION")
    actions.add_parser("start", help="start the embedded PostgreSQL").set_defaults(handler=_start)
    actions.add_parser("stop", help="stop the embedded PostgreSQL").set_defaults(handler=_stop)
    actions.add_parser("status", help="is the embedded PostgreSQL running?").set_defaults(handler=_status)
    actions.add_parser("upgrade", help="create or upgrade the schema (Alembic)").set_defaults(
        handler=_upgrade
    )
    import_command.register(actions)
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


def _upgrade(args: argparse.Namespace) -> int:
    with migrated_engine(load_settings()) as engine:
        print(f"schema at revision {schema.current_revision(engine)}")
    return 0
