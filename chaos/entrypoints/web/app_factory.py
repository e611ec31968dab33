"""The Flask application factory: one blueprint per concern, around what the composition root built.

`create_app(web_worker(settings))` is what gunicorn serves (wsgi.py, through server.py); tests and
other front ends give `web_worker` fakes (`model=`, `repository=`, ...) to run the same routes on them.
"""

import functools
from collections.abc import Callable

from flask import Flask
from flask.json.provider import DefaultJSONProvider

from chaos.bootstrap import WebWorker
from chaos.entrypoints.web import (
    appetence_routes,
    batch_routes,
    error_reporting,
    health_routes,
    metrics_routes,
    model_routes,
    monitoring_routes,
    openapi,
    outcome_routes,
    request_cycle,
)
from chaos.entrypoints.web.bounded_request import BoundedRequest
from chaos.entrypoints.web.extension import EXTENSION, Serving
from chaos.entrypoints.web.gate import Gate
from chaos.entrypoints.web.problems import register_error_handlers


class ChaosFlask(Flask):
    """Flask that asks once per function whether it is a coroutine function: Flask asks `inspect`
    before every call of a view or hook (`ensure_sync`), three times a scoring request, for
    functions that never change."""

    @functools.cached_property
    def _synced(self) -> Callable[[Callable], Callable]:
        return functools.lru_cache(maxsize=1024)(super().ensure_sync)

    def ensure_sync(self, func: Callable) -> Callable:
        return self._synced(func)


class InOrderJson(DefaultJSONProvider):
    sort_keys = False
    """Answers keep the order their models declare (appetence first), not Flask's alphabetical one."""


def create_app(worker: WebWorker) -> Flask:
    """The routes around `worker` (its model loaded and its request schemas built by the root)."""
    settings, service = worker.settings, worker.service
    error_reporting.install(settings.error_reporting)
    app = ChaosFlask(__name__, static_folder=None)  # no files of its own: Swagger UI serves its own
    app.request_class = BoundedRequest
    app.json = InOrderJson(app)
    request_cycle.install(app, service.models.follow)
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
    app.extensions[EXTENSION] = Serving(
        service, worker.reports, worker.schemas, Gate(settings, app, worker.keys)
    )
    return app
