"""The Flask application factory: one blueprint per concern, dependencies built here or injected.

`create_app(settings)` is what gunicorn serves (through server.py); tests and other front ends
pass `model=` / `repository=` (and `ping=`, `contacts=`) to run the same routes on fakes.
"""

from collections.abc import Callable

from flask import Flask

from chaos.application.web import (
    appetence_routes,
    auth,
    batch_routes,
    health_routes,
    metrics,
    model_routes,
    openapi,
    request_id,
    scoring_context,
)
from chaos.application.web.bounded_request import BoundedRequest
from chaos.application.web.database import GivenDatabase, WorkerDatabase
from chaos.application.web.model_registry import ModelRegistry, ServedModel
from chaos.application.web.problems import register_error_handlers
from chaos.application.web.serving import EXTENSION, Serving
from chaos.domain.repositories import ContactLog, SocioEcoRepository
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
    contacts: ContactLog | None = None,
) -> Flask:
    """Load the model now (raising ModelLoadError if it cannot be served); the database is reached
    on first use, in the worker."""
    store = ArtifactStore(settings.model.directory)
    if model is None:
        model = store.load(settings.model.version)
    try:
        default = ServedModel.of(model, settings.api.batch_max_rows)
    except ValueError as error:
        raise ModelLoadError(f"model {model.version} is incompatible: {error}") from error
    database = (
        WorkerDatabase(settings)
        if repository is None
        else GivenDatabase(repository, ping, contacts, settings.calibration.cache_ttl_seconds)
    )
    registry = ModelRegistry(default, store, settings.model.max_loaded_versions)

    app = Flask(__name__)
    app.request_class = BoundedRequest
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    app.json.sort_keys = False
    app.extensions[EXTENSION] = Serving(model, default.schema, database)
    request_id.install(app)  # before_request hooks run in this order: id, clock, then the key check
    metrics.install(app)
    auth.install(app, settings)
    scoring_context.install(
        app, scoring_context.ScoringContext(registry, settings.logging.log_customer_fields)
    )
    register_error_handlers(app)
    for routes in (health_routes, appetence_routes, batch_routes, model_routes):
        app.register_blueprint(routes.blueprint)
    openapi.install(app)
    metrics.model_loaded(model.version, "default")
    return app
