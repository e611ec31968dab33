"""JSON log lines on stdout for gunicorn's access and error logs and the app's own loggers.

One JSON object per line is what the cluster's log collector parses without a custom regex;
python-json-logger is the standard `logging.Formatter` for it. The access formatter turns
gunicorn's access atoms into named fields instead of an Apache-style sentence. Every line passes
through chaos.entrypoints.web.log_redaction, so no query-string value but the API's own is written.
"""

import logging
from collections.abc import Mapping
from typing import Any

from gunicorn.glogging import Logger
from pythonjsonlogger.json import JsonFormatter

from chaos.entrypoints.web.log_redaction import RedactingFilter
from chaos.entrypoints.web.request_id import RequestIdFilter

ACCESS_LOG_FORMAT = "%(m)s %(U)s %(s)s"
"""The `message` of an access line; the details are separate fields (see AccessJsonFormatter)."""

_ACCESS_FIELDS = {
    "remote_addr": "h",
    "method": "m",
    "path": "U",
    "query": "q",
    "status": "s",
    "response_bytes": "B",
    "duration_ms": "M",
    "user_agent": "a",
    "request_id": "{x-request-id}o",  # the response header set by request_id.py
}


class AccessJsonFormatter(JsonFormatter):
    """gunicorn logs an access line with its atoms as the record's args: lift them into fields."""

    def add_fields(self, log_data: dict[str, Any], record, message_dict: dict[str, Any]) -> None:
        super().add_fields(log_data, record, message_dict)
        if isinstance(record.args, Mapping):
            for field, atom in _ACCESS_FIELDS.items():
                log_data[field] = record.args.get(atom)  # response-header atoms exist only when sent
            log_data["status"] = _as_int(log_data["status"])


class GunicornLogger(Logger):
    """gunicorn's logger, writing access lines only when `accesslog` is set. With a `logconfig_dict`,
    gunicorn would otherwise build and format every request's line whatever `accesslog` says."""

    def access(self, resp, req, environ, request_time) -> None:
        if self.cfg.accesslog:
            super().access(resp, req, environ, request_time)


class TextFormatter(logging.Formatter):
    """A plain line for a person: the request id named only within a request."""

    def format(self, record: logging.LogRecord) -> str:
        request_id = getattr(record, "request_id", None)
        record.request = f", request {request_id}" if request_id else ""
        return super().format(record)


def _as_int(value: Any) -> object:
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


TEXT_LINE = "%(asctime)s %(levelname)-7s %(message)s  [%(name)s%(request)s]"
TEXT_ACCESS_LINE = "%(asctime)s access  %(message)s"
QUIET_LOGGERS = ("alembic",)
"""Libraries whose INFO lines say nothing to an operator (Alembic's plugin set-up and context lines,
written on every start): their warnings and errors still pass."""


def logging_config(level: str = "INFO", text: bool = False) -> dict[str, Any]:
    """A `logging.config.dictConfig` document, as gunicorn's `logconfig_dict` expects: JSON lines, or
    with `text` the same records as plain lines for a person at a terminal (gunicorn_env.text_logs)."""
    common = {"timestamp": True}
    line = "%(levelname)s %(name)s %(message)s"
    stdout = "ext://sys.stdout"
    formatters = {
        "json": {"()": JsonFormatter, "fmt": line, **common},
        "access": {"()": AccessJsonFormatter, "fmt": line, **common},
    }
    if text:
        formatters = {"json": {"()": TextFormatter, "fmt": TEXT_LINE}, "access": {"format": TEXT_ACCESS_LINE}}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": formatters,
        "filters": {"request_id": {"()": RequestIdFilter}, "redacting": {"()": RedactingFilter}},
        "handlers": {
            "default": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": stdout,
                "filters": ["request_id", "redacting"],
            },
            "access": {
                "class": "logging.StreamHandler",
                "formatter": "access",
                "stream": stdout,
                "filters": ["redacting"],
            },
        },
        "root": {"level": level, "handlers": ["default"]},
        "loggers": {
            "gunicorn.error": {"level": level, "handlers": ["default"], "propagate": False},
            "gunicorn.access": {"level": "INFO", "handlers": ["access"], "propagate": False},
            **{name: {"level": "WARNING"} for name in QUIET_LOGGERS},
        },
    }
