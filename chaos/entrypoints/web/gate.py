"""Who may call what: the configured key ring, and the endpoints whose declaration (operations.py)
opens them to callers without a key. Built once the app's routes are registered."""

from flask import Flask

from chaos.entrypoints.web.operations import declared
from chaos.infrastructure.api_keys import KeyRing
from chaos.infrastructure.config import Settings


class Gate:
    """The key ring and the endpoints reachable without a key."""

    def __init__(self, settings: Settings, app: Flask):
        """`app` with all its routes registered: the open ones are read from their declarations."""
        self.ring = KeyRing(settings.api.keys)
        self.open = frozenset(
            endpoint
            for endpoint, view in app.view_functions.items()
            if (declaration := declared(view)) is not None and not declaration.requires_key(settings.api)
        )

    def requires_key(self, endpoint: str) -> bool:
        return endpoint not in self.open
