"""One query parameter of the current request. Most calls carry no query string at all: those skip
parsing one, which cost a scoring request more than its key check."""

from flask import request


def query_value(name: str) -> str | None:
    """`?name=` of this request, None when absent."""
    return request.args.get(name) if request.query_string else None
