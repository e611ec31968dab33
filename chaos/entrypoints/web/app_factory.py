"""The Flask application factory: one blueprint per concern, around the service `bootstrap` builds.

`create_app(settings)` is what gunicorn serves (through server.py); tests and other front ends
pass `model=` / `repository=` (and `ping=`, `calibrations=`, `outcomes=`), which go to the same
`bootstrap`, to run the same routes on fakes.
"""

from collections.abc import Callable

from flask import Flask
from flask.json.provider import DefaultJSONProvider

from chaos.application.bootstrap import bootstrap
from chaos.application.outcome_reports import OutcomeReports
from chaos.domain.calibration import CalibrationStore
from chaos.domain.reported_outcome import OutcomeBook
from chaos.domain.repositories import SocioEcoRepository
from chaos.domain.scoring import ScoringModel
from chaos.entrypoints.web import (
    appetence_routes,
    auth,
    batch_routes,
    error_reporting,
    health_routes,
    metrics_routes,
    model_routes,
    monitoring_routes,
    openapi,
    outcome_routes,
    request_id,
)
from chaos.entrypoints.web.bounded_request import BoundedRequest
from chaos.entrypoints.web.extension import EXTENSION, Serving
from chaos.entrypoints.web.gate import Gate
from chaos.entrypoints.web.problems import register_error_handlers
from chaos.entrypoints.web.request_schemas import RequestSchemas
from chaos.infrastructure.config import Settings


class InOrderJson(DefaultJSONProvider):
    sort_keys = False
    """Answers keep the order their models declare (appetence first), not Flask's alphabetical one."""


MAX_BODY_BYTES = 64 * 1024
"""Largest request body (413 above): ample for one customer; a batch view may raise it for itself."""


def create_app(
    settings: Settings,
    *,
    model: ScoringModel | None = None,
    repository: SocioEcoRepository | None = None,
    ping: Callable[[], object] | None = None,
    calibrations: CalibrationStore | None = None,
    outcomes: OutcomeBook | None = None,
) -> Flask:
    """Load the model now (raising ModelLoadError if it cannot be served); the database is reached
    on first use, in the worker."""
    service = bootstrap(
        settings, model=model, repository=repository, ping=ping, calibrations=calibrations, outcomes=outcomes
    )
    schemas = RequestSchemas(settings.api.batch_max_rows)
    schemas.of(service.models.default)  # built now: the first request should not pay for it

    error_reporting.install(settings.error_reporting)
    app = Flask(__name__, static_folder=None)  # no files of its own: Swagger UI serves its own
    app.request_class = BoundedRequest
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    app.json = InOrderJson(app)
    app.before_request(service.models.follow)  # in the worker that serves, after gunicorn's fork
    request_id.install(app)  # before_request hooks run in this order: id, clock, then the key check
    metrics_routes.install(app)
    auth.install(app)
    register_error_handlers(app)
    for routes in (
        appetence_routes,
        batch_routes,
        outcome_routes,
        model_routes,
        monitoring_routes,
        health_routes,
        metrics_routes,
    ):
        app.register_blueprint(routes.blueprint)  # in this order in the OpenAPI document
    openapi.install(app)
    reports = OutcomeReports(service.indicators)
    app.extensions[EXTENSION] = Serving(service, reports, schemas, Gate(settings, app))
    return app
