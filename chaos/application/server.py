"""The WSGI entry point operators know: `gunicorn -c gunicorn.conf.py chaos.application.server:app`.

The app is built at import from `load_settings()`. A configuration or model that cannot be used
raises `StartupError`, a RuntimeError: gunicorn then prints its one-line message and exits
non-zero (preload_app), or the worker fails to boot and the master halts; no worker is left
serving without a model.
"""

from chaos.application.web import create_app
from chaos.infrastructure.config import ConfigurationError, load_settings
from chaos.infrastructure.models.artifacts import ModelLoadError


class StartupError(RuntimeError):
    """chaos cannot serve with this configuration or model; the message says what to fix."""


def build_app():
    try:
        return create_app(load_settings())
    except (ConfigurationError, ModelLoadError) as error:
        raise StartupError(f"chaos cannot start: {error}") from error


app = build_app()
