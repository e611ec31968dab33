"""The WSGI entry point operators and pipelines already know, `gunicorn chaos.application.server:app`:
an alias of chaos.entrypoints.wsgi, where the app is built (lazily, on first access of `app`)."""

from chaos.entrypoints import wsgi


def __getattr__(name: str) -> object:
    return getattr(wsgi, name)
