"""`X-Request-ID`: taken from the caller (or a proxy) when sane, made up otherwise, returned on every
answer and stamped on every log line written while the request is served, so one id follows a
call from the caller's logs through ours."""

import logging
import re
import uuid

from flask import Flask, Response, g, has_request_context, request

HEADER = "X-Request-ID"
ACCEPTED = re.compile(r"^[A-Za-z0-9._:@/+=-]{1,128}$")
"""Ids we pass on as given: printable, no spaces, bounded, so a header cannot forge log content."""


def install(app: Flask) -> None:
    app.before_request(_assign)
    app.after_request(_return)


def current_request_id() -> str | None:
    return g.get("request_id") if has_request_context() else None


def _assign() -> None:
    given = request.headers.get(HEADER, "")
    g.request_id = given if ACCEPTED.match(given) else uuid.uuid4().hex


def _return(response: Response) -> Response:
    response.headers[HEADER] = current_request_id() or uuid.uuid4().hex
    return response


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (None outside a request), for the JSON formatter to emit."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return True
