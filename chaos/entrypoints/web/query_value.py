"""One query parameter of the current request. Most calls carry no query string at all: those skip
parsing one, which cost a scoring request more than its key check."""

from chaos.entrypoints.web.request_context import current_request


def query_value(name: str) -> str | None:
    """`?name=` of this request, None when absent."""
    request = current_request()
    return request.args.get(name) if request.query_string else None
