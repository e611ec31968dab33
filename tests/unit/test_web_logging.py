"""Access lines are JSON objects with named fields, as the log collector expects."""

import json
import logging

from chaos.entrypoints.web.json_logging import ACCESS_LOG_FORMAT, AccessJsonFormatter
from chaos.entrypoints.web.log_redaction import RedactingFilter


def access_record(atoms):
    return logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1, ACCESS_LOG_FORMAT, (atoms,), None)


def test_an_access_line_carries_the_request_as_fields():
    atoms = {
        "h": "10.0.0.7",
        "m": "POST",
        "U": "/appetence",
        "q": "",
        "s": "422",
        "B": 311,
        "M": 4,
        "a": "curl/8",
    }
    line = json.loads(AccessJsonFormatter(timestamp=True).format(access_record(atoms)))
    assert line["message"] == "POST /appetence 422"
    assert line["status"] == 422
    assert (line["method"], line["path"], line["duration_ms"], line["remote_addr"]) == (
        "POST",
        "/appetence",
        4,
        "10.0.0.7",
    )
    assert "timestamp" in line


def redacted_line(record: logging.LogRecord, formatter: logging.Formatter) -> str:
    RedactingFilter().filter(record)
    return formatter.format(record)


def test_a_key_in_the_query_string_is_redacted_from_the_access_line():
    atoms = {
        "h": "10.0.0.7",
        "m": "GET",
        "U": "/models",
        "s": "401",
        "q": "api_key=chaos_secret&model=v2&explain=true",
    }
    atoms["r"] = "GET /models?api_key=chaos_secret&model=v2&explain=true HTTP/1.1"
    line = redacted_line(access_record(atoms), AccessJsonFormatter(timestamp=True))
    assert "chaos_secret" not in line
    assert json.loads(line)["query"] == "api_key=[redacted]&model=v2&explain=true"


def test_a_key_in_a_url_is_redacted_from_any_other_line():
    record = logging.LogRecord(
        "gunicorn.error", logging.WARNING, __file__, 1, "bad request %s", ("/appetence?token=chaos_x",), None
    )
    assert (
        redacted_line(record, logging.Formatter("%(message)s")) == "bad request /appetence?token=[redacted]"
    )
