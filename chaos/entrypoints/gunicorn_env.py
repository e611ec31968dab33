"""The environment variables that size and place gunicorn, read by the gunicorn settings and `chaos serve`."""

import os
import sys
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


def text_logs(environ: Mapping[str, str] = os.environ, terminal: bool | None = None) -> bool:
    """Plain log lines rather than JSON: $CHAOS_LOG_FORMAT "text" or "json", else text only when stdout
    is a terminal (`make run` in a shell). The pod's stdout is a pipe to the log collector: JSON."""
    value = environ.get("CHAOS_LOG_FORMAT", "auto")
    if value not in ("auto", "text", "json"):
        raise ValueError(f"CHAOS_LOG_FORMAT is {value!r}: set it to auto, text or json")
    if value == "auto":
        return sys.stdout.isatty() if terminal is None else terminal
    return value == "text"
