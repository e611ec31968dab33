"""Access lines are JSON objects with named fields, as the log collector expects."""

import json
import logging

from chaos.entrypoints.web.json_logging import ACCESS_LOG_FORMAT, AccessJsonFormatter


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
