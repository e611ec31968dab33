"""Each route's OpenAPI operation, declared beside its view: `@Operation(...)` decorates it.

The declaration is stored on the view function. The OpenAPI document is built from the app's
registered routes and these declarations, and the API-key gate opens exactly the views declared
open and asks every other one's scope of the key: a route, its documentation and its protection are
written once, in one place. A view that
is served but is no API operation (the document itself, Swagger UI) is declared `@UNLISTED`.
"""

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from chaos.infrastructure.api_keys import Scope
from chaos.infrastructure.config.settings import ApiSettings

PROBLEMS = {
    400: "the body is not valid JSON (or not UTF-8)",
    401: "no API key, or a malformed one; see WWW-Authenticate",
    403: "the API key is not allowed, or lacks the operation's scope (named in the problem)",
    413: "the body is too large (body-too-large) or has more rows than the batch limit (too-many-rows); "
    "`limit` states the limit",
    415: "wrong Content-Type",
    422: "invalid fields, each named in `errors` with what it accepts",
    503: "the database cannot be read right now; retry after Retry-After seconds",
}
"""What each usual problem status means, as the document says it."""

SCHEMA_REF = "#/components/schemas/{model}"
SCORING_PARAMETERS = ("model", "requestId")
"""The scoring routes take `?model=` and the caller's request id."""
UNKNOWN_MODEL = {404: "no servable model of the version given in `model`"}


def problems(*statuses: int) -> dict[int, str]:
    """The usual meaning of each of `statuses`, for an operation's `problems`."""
    return {status: PROBLEMS[status] for status in statuses}


def schema(name: str) -> dict[str, str]:
    """A reference to the component schema of pydantic model `name`."""
    return {"$ref": SCHEMA_REF.format(model=name)}


View = TypeVar("View", bound=Callable[..., Any])
_ATTRIBUTE = "openapi_operation"


class Declaration(ABC):
    """Applied to a view function, stores itself on it."""

    def __call__(self, view: View) -> View:
        view.__dict__[_ATTRIBUTE] = self
        return view

    scope: Scope | None
    """What a key must be allowed to call the view when it needs one."""

    @abstractmethod
    def requires_key(self, api: ApiSettings) -> bool: ...


@dataclass(frozen=True)
class Operation(Declaration):
    """`description` may use {max_rows}. `needs_key` is True, False, or read from the API settings;
    `scope` is what a key needs when it needs one. The path's own parameters (`<version>`) are
    documented from the route."""

    operation_id: str
    summary: str
    description: str
    answer: Mapping[str, Any]
    scope: Scope | None
    parameters: Sequence[str] = ()
    """Names of shared parameters (components/parameters)."""
    body: Mapping[str, Any] | None = None
    answer_headers: Mapping[str, Any] = field(default_factory=dict)
    problems: Mapping[int, str] = field(default_factory=dict)
    """Statuses other than 200 (401 and 403 are added for operations that need a key)."""
    needs_key: bool | Callable[[ApiSettings], bool] = True
    keyed_at_edge: bool = False
    """Needs a key, whatever `needs_key` says, when the request came in through the public edge
    (auth.EDGE_HEADER): open where `/metrics` is, on the pod's internal port or a local run."""

    def requires_key(self, api: ApiSettings) -> bool:
        return self.needs_key(api) if callable(self.needs_key) else self.needs_key

    def __post_init__(self) -> None:
        if self.needs_key is not False and self.scope is None:
            raise TypeError(f"{self.operation_id}: an operation that may need a key names its scope")


@dataclass(frozen=True)
class Unlisted(Declaration):
    """Served without a key and left out of the document: the documentation's own pages."""

    scope: Scope | None = None

    def requires_key(self, api: ApiSettings) -> bool:
        return False


UNLISTED = Unlisted()


def declared(view: Callable[..., Any]) -> Declaration | None:
    """What `view` was declared as; None for a view nobody declared (then it needs a key)."""
    return view.__dict__.get(_ATTRIBUTE)
