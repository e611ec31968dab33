"""The Flask application factory: one blueprint per concern, dependencies built here or injected.

`create_app(settings)` is what gunicorn serves (through server.py); tests and other front ends
pass `model=` / `repository=` (and `ping=`) to run the same routes on fakes.
"""

from collections.abc import Callable

from flask import Flask

from chaos.application.web import appetence_routes, health_routes
from chaos.application.web.appetence_schema import AppetenceSchema
from chaos.application.web.database import GivenDatabase, WorkerDatabase
from chaos.application.web.problems import register_error_handlers
from chaos.application.web.serving import EXTENSION, Serving
from chaos.domain.repositories import SocioEcoRepository
from chaos.domain.scoring import ScoringModel
from chaos.infrastructure.config import Settings
from chaos.infrastructure.models.artifacts import ArtifactStore, ModelLoadError

MAX_BODY_BYTES = 64 * 1024
"""Largest request body (413 above): ample for one customer; a batch view may raise it for itself."""


def create_app(
    settings: Settings,
    *,
    model: ScoringModel | None = None,
    repository: SocioEcoRepository | None = None,
    ping: Callable[[], object] | None = None,
) -> Flask:
    """Load the model now (raising ModelLoadError if it cannot be served); the database is reached
    on first use, in the worker."""
    if model is None:
        model = ArtifactStore(settings.model.directory).load(settings.model.version)
    try:
        schema = AppetenceSchema(model.vocabulary)
    except ValueError as error:
        raise ModelLoadError(f"model {model.version} is incompatible: {error}") from error
    database = WorkerDatabase(settings) if repository is None else GivenDatabase(repository, ping)

    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    app.json.sort_keys = False
    app.extensions[EXTENSION] = Serving(model, schema, database)
    register_error_handlers(app)
    app.register_blueprint(health_routes.blueprint)
    app.register_blueprint(appetence_routes.blueprint)
    return app
