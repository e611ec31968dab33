"""The environment variables that size and place gunicorn, read by the gunicorn settings and `chaos serve`."""

import os
from collections.abc import Mapping

DEFAULT_PORT = "5000"


def bind(environ: Mapping[str, str] = os.environ) -> str:
    """$CHAOS_BIND (host:port), else all interfaces on $PORT (the usual platform variable) or 5000."""
    return environ.get("CHAOS_BIND") or f"0.0.0.0:{environ.get('PORT') or DEFAULT_PORT}"


def workers(environ: Mapping[str, str] = os.environ) -> int:
    """$WEB_CONCURRENCY, else one sync worker per CPU: scoring is CPU-bound, the database read is short."""
    return int(environ.get("WEB_CONCURRENCY") or os.cpu_count() or 1)
