"""API keys on every endpoint except those whose view is declared open (operations.py): health
probes, the documentation, and `/metrics` and `/monitoring` unless `api.metrics_require_key`; the
public edge marks what it forwards (EDGE_HEADER), and `/monitoring` needs a key there.

Checked before every request (request_cycle.py), so a route added later is protected unless its declaration
opens it, and an unauthenticated caller is refused before its body is read. A missing or
malformed credential is a 401 carrying `WWW-Authenticate` (RFC 6750); a well-formed key that
no configured hash matches is a 403, and so is a known key without the scope the operation
declares (the problem names that scope, in `detail` and in its `scope` member). The id of the key
that passed (never the key) is kept for the request: `key_id()`.
"""

from collections.abc import Mapping

from chaos.entrypoints.web.extension import current_serving
from chaos.entrypoints.web.problem_types import (
    MALFORMED_CREDENTIALS,
    MISSING_CREDENTIALS,
    MISSING_SCOPE,
    UNKNOWN_KEY,
)
from chaos.entrypoints.web.problems import Problem
from chaos.entrypoints.web.request_context import current_request, environ_key, request_globals
from chaos.infrastructure.api_keys import is_well_formed

KEY_HEADER = "X-API-Key"
EDGE_HEADER = "X-Chaos-Edge"
"""Set to "public" by the edge's public server on every request it forwards (a client's own value is
replaced); absent on the internal port, and when gunicorn is called directly (a local run)."""
CHALLENGE = 'Bearer realm="chaos"'


_AUTHORIZATION, _KEY, _EDGE = (environ_key(header) for header in ("Authorization", KEY_HEADER, EDGE_HEADER))


def authenticate() -> None:
    gate = current_serving().gate
    request = current_request()
    environ, endpoint = request.environ, request.endpoint
    if endpoint is None or not gate.requires_key(endpoint, environ.get(_EDGE) == "public"):
        return  # routing errors (404, 405) are answered as such; open endpoints need nothing
    caller = gate.keys.ring().caller(_presented_key(environ))
    if caller is None:
        raise Problem(UNKNOWN_KEY, "this API key is not allowed: ask for a valid key")
    request_globals().key_id = caller.key_id
    needed = gate.scope(endpoint)
    if needed is None or needed not in caller.scopes:
        raise Problem(
            MISSING_SCOPE,
            f"this API key lacks the scope '{needed}' that {request.method} {request.path} needs: "
            "ask for a key with it",
            scope=needed,
        )


def key_id() -> str | None:
    """The id of the key this request was let in with (None on an open endpoint)."""
    return request_globals().get("key_id")


def caller_id() -> str:
    """The id of the key of a request to an endpoint that needs one (a scope)."""
    found = key_id()
    if found is None:
        raise RuntimeError(f"{current_request().endpoint} needs a key, yet none was checked")
    return found


def _presented_key(environ: Mapping[str, str]) -> str:
    authorization = environ.get(_AUTHORIZATION)
    given = environ.get(_KEY)
    if authorization is not None:
        scheme, _, given = authorization.strip().partition(" ")
        if scheme.lower() != "bearer":
            raise _unauthorized("the Authorization header must be 'Bearer <key>'", malformed=True)
    elif given is None:
        raise _unauthorized(f"send your key as 'Authorization: Bearer <key>' or '{KEY_HEADER}: <key>'")
    key = given.strip()
    if not is_well_formed(key):
        raise _unauthorized("the key is malformed: 8 to 256 letters, digits or -._~+/", malformed=True)
    return key


def _unauthorized(detail: str, malformed: bool = False) -> Problem:
    challenge = CHALLENGE + (', error="invalid_request"' if malformed else "")
    return Problem(
        MALFORMED_CREDENTIALS if malformed else MISSING_CREDENTIALS,
        detail,
        headers={"WWW-Authenticate": challenge},
    )
