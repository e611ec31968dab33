"""Query strings in log lines keep only the API's own parameters: any other value is `[redacted]`.

A caller may put its key in the URL (`?api_key=...`); chaos refuses it (keys travel in headers), but
the URL is already written by then, and logs are read by more people than keys should be. The
API's parameters (those its OpenAPI document declares) say nothing secret and help an
investigation; every other value is replaced, whatever its name, in gunicorn's access fields and in
every other message. In a pod the edge refuses any other parameter before anything logs
(deployment/base/nginx.conf lists the same names).
"""

import logging
import re
from collections.abc import MutableMapping

KEPT_PARAMETERS = frozenset({"model", "explain", "replace"})
REDACTED = "[redacted]"
_PARAMETER = re.compile(r"(?P<lead>[?&])(?P<name>[^=&\s?#\"]*)=(?P<value>[^&\s#\"]*)")
_ACCESS_ATOMS = ("q", "r", "U")
"""gunicorn's access atoms that can carry a query: the query string, the request line, the path."""


def redacted(text: str) -> str:
    """`text` with the value of every `?name=value` or `&name=value` not in KEPT_PARAMETERS replaced."""
    return _PARAMETER.sub(_replace, text)


def redacted_query(query: str) -> str:
    """A bare query string (`a=1&b=2`, without its `?`)."""
    return redacted("?" + query)[1:] if query else query


def _replace(match: re.Match[str]) -> str:
    if match["name"] in KEPT_PARAMETERS:
        return match[0]
    return f"{match['lead']}{match['name']}={REDACTED}"


class RedactingFilter(logging.Filter):
    """Applied to every handler: gunicorn's access record carries its atoms as a mapping, every
    other record its message and arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, MutableMapping):
            for atom in _ACCESS_ATOMS:
                value = record.args.get(atom)
                if isinstance(value, str):
                    record.args[atom] = redacted_query(value) if atom == "q" else redacted(value)
            return True
        message = record.getMessage()
        cleaned = redacted(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
