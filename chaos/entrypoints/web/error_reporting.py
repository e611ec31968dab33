"""Unexpected errors sent to Sentry (sentry-sdk with its Flask and logging integrations), when
`error_reporting.dsn` is configured; with no DSN nothing is imported or sent.

Customer fields are personal data, so every event is rebuilt from an allowlist before it leaves:
the exception's type and stack (file, function, line, source), the log message template, the
route, the request id and the environment. Never the request body, query string, headers or
cookies, local variables, breadcrumbs, log arguments, nor exception messages, which can quote a
customer's value. The request id finds the full log line, whose own policy applies.
"""

from typing import TYPE_CHECKING, Any, cast

import chaos
from chaos.entrypoints.web.request_id import current_request_id
from chaos.infrastructure.config.settings import ErrorReportingSettings

if TYPE_CHECKING:
    from sentry_sdk.types import Event, Hint

KEPT = ("event_id", "timestamp", "level", "platform", "logger", "environment", "release", "server_name")
FRAME_KEPT = ("filename", "abs_path", "module", "function", "lineno", "in_app", "context_line", "pre_context")


def install(settings: ErrorReportingSettings) -> bool:
    """Start reporting if a DSN is configured; True when it did."""
    if not settings.dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.flask import FlaskIntegration

    sentry_sdk.init(
        dsn=settings.dsn,
        environment=settings.environment,
        release=f"chaos@{chaos.__version__}",
        integrations=[FlaskIntegration()],
        include_local_variables=False,
        max_request_body_size="never",
        max_breadcrumbs=0,
        traces_sample_rate=None,
        before_send=scrubbed,
    )
    return True


def scrubbed(event: "Event", hint: "Hint") -> "Event":
    """The event reduced to what cannot carry a customer's data."""
    return cast("Event", _allowed(dict(event)))


def _allowed(event: dict[str, Any]) -> dict[str, Any]:
    kept: dict[str, Any] = {key: event[key] for key in KEPT if key in event}
    if "exception" in event:
        kept["exception"] = {"values": [_exception(value) for value in event["exception"].get("values", [])]}
    if "logentry" in event:
        kept["logentry"] = {"message": event["logentry"].get("message", "")}
    if "request" in event:
        request = event["request"]
        kept["request"] = {"method": request.get("method"), "url": request.get("url", "").split("?")[0]}
    if "transaction" in event:
        kept["transaction"] = event["transaction"]
    kept["tags"] = {"request_id": current_request_id() or "none"}
    return kept


def _exception(value: dict[str, Any]) -> dict[str, Any]:
    frames = value.get("stacktrace", {}).get("frames", [])
    return {
        "type": value.get("type"),
        "module": value.get("module"),
        "mechanism": value.get("mechanism"),
        "stacktrace": {
            "frames": [{key: frame[key] for key in FRAME_KEPT if key in frame} for frame in frames]
        },
    }
