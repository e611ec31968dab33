"""The environment variables that size and place gunicorn, read by the gunicorn settings and `chaos serve`."""

import os
from collections.abc import Mapping

DEFAULT_PORT = "5000"
ALL_INTERFACES = "0.0.0.0"
LOOPBACK = "127.0.0.1"


def bind(environ: Mapping[str, str] = os.environ, host: str = ALL_INTERFACES) -> str:
    """$CHAOS_BIND (host:port), else `host` on $PORT (the usual platform variable) or 5000. The image
    listens on all interfaces (a container's port is published); `chaos serve` on the loopback."""
    return environ.get("CHAOS_BIND") or f"{host}:{environ.get('PORT') or DEFAULT_PORT}"


def workers(environ: Mapping[str, str] = os.environ) -> int:
    """$WEB_CONCURRENCY, else one sync worker per CPU: scoring is CPU-bound, the database read is short."""
    return int(environ.get("WEB_CONCURRENCY") or os.cpu_count() or 1)


def access_log(environ: Mapping[str, str] = os.environ) -> str | None:
    """gunicorn's access log: stdout, or none when $CHAOS_ACCESS_LOG is "off". In the pod the edge
    writes one line per request with the same request id; a second line costs a sync worker about a
    tenth of its time per request."""
    value = environ.get("CHAOS_ACCESS_LOG", "on")
    if value not in ("on", "off"):
        raise ValueError(f"CHAOS_ACCESS_LOG is {value!r}: set it to on or off")
    return "-" if value == "on" else None
