"""`X-Request-ID`: taken from the caller (or a proxy) when sane, made up otherwise, returned on every
answer and stamped on every log line written while the request is served, so one id follows a
call from the caller's logs through ours (request_cycle.py runs `assign` and `returned`).

A made-up id is 128 random bits in hex, drawn from the process's own generator, which Python reseeds
from the system in every forked worker: an id must be unique, not secret, and `uuid4` would ask the
kernel for random bytes on every request that comes without one (most of them).
"""

import logging
import random
import re

from flask import Response, has_request_context

from chaos.entrypoints.web.request_context import current_request, environ_key, request_globals

HEADER = "X-Request-ID"
ACCEPTED = re.compile(r"^[A-Za-z0-9._:@/+=-]{1,128}$")
"""Ids we pass on as given: printable, no spaces, bounded, so a header cannot forge log content."""
_GIVEN = environ_key(HEADER)


def current_request_id() -> str | None:
    return request_globals().get("request_id") if has_request_context() else None


def assign() -> None:
    given = current_request().environ.get(_GIVEN, "")
    request_globals().request_id = given if ACCEPTED.match(given) else made_up()


def returned(response: Response) -> Response:
    response.headers[HEADER] = current_request_id() or made_up()
    return response


def made_up() -> str:
    return f"{random.getrandbits(128):032x}"


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (None outside a request), for the JSON formatter to emit."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return True
