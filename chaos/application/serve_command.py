"""`chaos serve`: from a fresh clone to a served model in one command.

Starts the embedded PostgreSQL when configured, upgrades the schema, seeds demo data into an
empty embedded database, trains a champion when there is none, then replaces itself with
gunicorn (exec, so signals and the exit code are gunicorn's). Whatever exists is reused, so a
second run only starts the server. Demo data is never written to an external database.
"""

import argparse
import json
import os
import sys

import sqlalchemy as sa

from chaos.application.migrated_database import migrated_engine
from chaos.application.seed_demo_command import seed_demo
from chaos.application.train_model_for_appetence import TrainingError, train
from chaos.application.web import gunicorn_env
from chaos.application.web.appetence_schema import EXAMPLE_REQUEST
from chaos.infrastructure.api_keys import DEMO_KEY, DEMO_KEY_HASH
from chaos.infrastructure.config import Settings, load_settings
from chaos.infrastructure.db.tables import marketing, socio_eco
from chaos.infrastructure.demo.facts import REAL_ROWS
from chaos.infrastructure.models.artifacts import ArtifactStore, ModelLoadError

GUNICORN_CONFIG = "python:chaos.application.gunicorn_config"
"""The gunicorn settings, a module of the package: found wherever chaos is installed."""
APP = "chaos.application.server:app"


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "serve",
        help="prepare the database and model if needed, then serve the API with gunicorn",
        description="Starts the embedded database (if configured), upgrades the schema, seeds demo data "
        "into an empty embedded database, trains a champion model if there is none, and runs gunicorn.",
    )
    parser.add_argument(
        "--bind", help="host:port to listen on (default $CHAOS_BIND, else 0.0.0.0:$PORT or :5000)"
    )
    parser.add_argument(
        "--workers", type=int, help="worker processes (default $WEB_CONCURRENCY, else CPU count)"
    )
    parser.set_defaults(handler=_serve)


def prepare(settings: Settings, demo_rows: int = REAL_ROWS) -> str:
    """Make the database and a champion model ready; returns the version that will be served."""
    with migrated_engine(settings) as engine:
        if settings.database.embedded and _is_empty(engine):
            print(
                f"chaos: empty database, seeding demo data: {seed_demo(engine, rows=demo_rows).describe()}",
                flush=True,
            )
        store = ArtifactStore(settings.model.directory)
        if settings.model.version:
            return settings.model.version
        champion = store.champion()
        if champion is not None:
            return champion
        print(f"chaos: no champion model in {store.directory}, training one", flush=True)
        return train(
            settings, champion=True, engine=engine, progress=lambda stage: print(f"  {stage}", flush=True)
        )


def curl_example(bind: str, settings: Settings) -> str:
    """A command that works as printed: with the demo key when it is configured, else a placeholder."""
    host, _, port = bind.rpartition(":")
    host = "localhost" if host in ("", "0.0.0.0", "[::]") else host
    key = DEMO_KEY if DEMO_KEY_HASH in settings.api.keys else "<your key>"
    body = json.dumps(EXAMPLE_REQUEST, ensure_ascii=False)
    return (
        f"curl -s -X POST http://{host}:{port}/appetence -H 'Authorization: Bearer {key}' "
        f"-H 'Content-Type: application/json' -d '{body}'"
    )


def _is_empty(engine: sa.Engine) -> bool:
    with engine.connect() as connection:
        return not any(
            connection.scalar(sa.select(sa.exists().select_from(table))) for table in (marketing, socio_eco)
        )


def _serve(args: argparse.Namespace) -> int:
    settings = load_settings()
    try:
        version = prepare(settings)
    except TrainingError as error:
        print(f"chaos: cannot train a model: {error}", file=sys.stderr)
        return 1
    try:
        ArtifactStore(settings.model.directory).load(version)  # signature and compatibility, before gunicorn
    except ModelLoadError as error:
        print(f"chaos: cannot serve: {error}", file=sys.stderr)
        return 1
    if args.bind:
        os.environ["CHAOS_BIND"] = args.bind
    if args.workers:
        os.environ["WEB_CONCURRENCY"] = str(args.workers)
    bind = gunicorn_env.bind()
    print(f"chaos: serving model {version} on {bind}; try:\n  {curl_example(bind, settings)}\n", flush=True)
    command = [sys.executable, "-m", "gunicorn", "-c", GUNICORN_CONFIG, APP]
    os.execv(sys.executable, command)
