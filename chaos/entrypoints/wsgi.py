"""The WSGI entry point: `gunicorn chaos.entrypoints.wsgi:app` (with the settings
`-c python:chaos.entrypoints.gunicorn_config`); `chaos.application.server:app` is the same app under
the name operators and pipelines already use.

Importing this module builds nothing: `app` is built from `load_settings()` on first access (a
module `__getattr__`, PEP 562), which is when gunicorn loads it, in the master (preload_app). A
configuration or model that cannot be used raises `StartupError`, a RuntimeError: gunicorn then
prints its one-line message and exits non-zero, and no worker is left serving without a model.
"""

import functools

from flask import Flask

from chaos.bootstrap import web_worker
from chaos.domain.model_store import ModelLoadError
from chaos.entrypoints.web.app_factory import create_app
from chaos.entrypoints.web.extension import serving_of
from chaos.infrastructure.config import ConfigurationError, configuration_path, load_settings


class StartupError(RuntimeError):
    """chaos cannot serve with this configuration or model; the message says what to fix."""


@functools.cache
def build_app() -> Flask:
    """The app of this process, built once."""
    try:
        path = configuration_path()
        return create_app(web_worker(load_settings(path), configuration=path))
    except (ConfigurationError, ModelLoadError) as error:
        raise StartupError(f"chaos cannot start: {error}") from error


def worker_forked() -> None:
    """In a worker just forked: follow the champion from now on, starting with the pointer as it is
    (the master may have loaded an older champion long ago), and read the API keys as the
    configuration file has them now, not at the worker's first request: with checks off, every
    worker then serves the keys of its start until the next SIGHUP. Nothing to do where the master
    preloaded another app (the bench's floor shares this gunicorn configuration)."""
    if build_app.cache_info().currsize == 0:
        return
    serving = serving_of(build_app())
    serving.service.models.follow()
    serving.gate.keys.ring()


def __getattr__(name: str) -> Flask:
    if name == "app":
        return build_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
