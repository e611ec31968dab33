"""Who may call what: the configured keys (followed in the configuration file), the endpoints whose
declaration (operations.py) opens them to callers without a key, and the scope each other one needs.
Built once the app's routes are registered."""

from flask import Flask

from chaos.entrypoints.web.operations import declared
from chaos.infrastructure.api_keys import Scope
from chaos.infrastructure.config import Settings
from chaos.infrastructure.config.watched_keys import WatchedKeys


class Gate:
    """The keys, the endpoints reachable without a key and the scope of the others."""

    def __init__(self, settings: Settings, app: Flask, keys: WatchedKeys):
        """`app` with all its routes registered: the open ones are read from their declarations."""
        self.keys = keys
        self.open = frozenset(
            endpoint
            for endpoint, view in app.view_functions.items()
            if (declaration := declared(view)) is not None and not declaration.requires_key(settings.api)
        )
        self.edge_keyed = frozenset(
            endpoint
            for endpoint, view in app.view_functions.items()
            if getattr(declared(view), "keyed_at_edge", False)
        )
        self._scopes = {
            endpoint: declaration.scope
            for endpoint, view in app.view_functions.items()
            if (declaration := declared(view)) is not None
        }

    def requires_key(self, endpoint: str, public: bool = True) -> bool:
        """Whether a caller of `endpoint` needs a key; `public`: the request came in through the public
        edge (the OpenAPI document describes that API)."""
        return endpoint not in self.open or (public and endpoint in self.edge_keyed)

    def scope(self, endpoint: str) -> Scope | None:
        """What a key must be allowed to call `endpoint`; None for a view nobody declared, which no
        scope opens (a view must say what it needs to be reachable)."""
        return self._scopes.get(endpoint)
