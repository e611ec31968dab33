"""API keys: how a key is made, how its hash is written in the configuration, how a key is checked.

Keys are 256-bit random tokens, so one SHA-256 round is enough to store them (a slow password
hash protects guessable secrets; these are not guessable) and lets the configuration, which comes
from a Kubernetes Secret, hold only `sha256:<hex>` lines. Every check compares against every
configured hash with `hmac.compare_digest`, so the time taken says nothing about how close a
guess was, nor which hash matched.

Each key carries scopes, the operations it may call: a marketing tool that reports outcomes need not
be able to score, and a scoring front end need not write anything.
"""

import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

PREFIX = "sha256:"
HASH_PATTERN = r"^sha256:[0-9a-f]{64}$"
KEY_PATTERN = re.compile(r"^[A-Za-z0-9\-._~+/]{8,256}=*$")
"""What a key may look like: RFC 6750's `b64token`, 8 to 256 characters."""

DEMO_KEY = "chaos-demo-key"  # pragma: allowlist secret
"""The key the embedded demo accepts out of the box; published in the README, so never valid with an
external database (Settings refuses it there)."""


class Scope(StrEnum):
    """What a key may do; each API operation needs one (its OpenAPI declaration names it)."""

    SCORE = "score"
    REPORT_OUTCOMES = "report_outcomes"
    READ_MODELS = "read_models"


PLAIN_LINE_SCOPES = frozenset({Scope.SCORE, Scope.READ_MODELS})
"""What a plain `sha256:` line in `api.keys` may do: what every key could do before keys carried
scopes. Reporting outcomes writes to the database, so only a line naming it grants it."""


KEY_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
"""What a key's id may look like: a short name that logs, served records and reports carry."""
DEFAULT_ID_LENGTH = 12
"""Hex digits of the key's hash that name a key configured without an id: enough to tell keys apart,
and the hash is public knowledge of the configuration, never the key."""


def default_key_id(hash_line: str) -> str:
    """The id of a key configured without one: the first DEFAULT_ID_LENGTH hex digits of its hash."""
    return hash_line.removeprefix(PREFIX)[:DEFAULT_ID_LENGTH]


@dataclass(frozen=True)
class Grant:
    """One configured key: its hash line, what it may do, and the id that names it (never the key)."""

    hash: str
    scopes: frozenset[Scope]
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            object.__setattr__(self, "id", default_key_id(self.hash))


@dataclass(frozen=True)
class Caller:
    """A key the ring knows: its id and what it may do."""

    key_id: str
    scopes: frozenset[Scope]


def key_hash(key: str) -> str:
    """The line to put in `api.keys` for `key`."""
    return PREFIX + hashlib.sha256(key.encode("utf-8")).hexdigest()


DEMO_KEY_HASH = key_hash(DEMO_KEY)


def new_key() -> str:
    """A fresh key: 32 random bytes, URL-safe base64 (43 characters), a valid Bearer token."""
    return "chaos_" + secrets.token_urlsafe(32)


def is_well_formed(key: str) -> bool:
    return bool(KEY_PATTERN.match(key))


def configuration_line(key: str, scopes: Iterable[Scope]) -> str:
    """The `api.keys` entry (a YAML flow mapping) that lets `key` in with `scopes`."""
    granted = set(scopes)
    named = ", ".join(scope.value for scope in Scope if scope in granted)
    return f'{{hash: "{key_hash(key)}", scopes: [{named}]}}'


class KeyRing:
    """The configured keys; `scopes_of(key)` in constant time with respect to the candidates."""

    def __init__(self, grants: Iterable[Grant]):
        self._grants = [
            (bytes.fromhex(grant.hash.removeprefix(PREFIX)), Caller(grant.id, grant.scopes))
            for grant in grants
        ]

    def caller(self, key: str) -> Caller | None:
        """Who `key` is, None for a key no entry knows (a hash listed twice gets both scopes, and
        the id of its first entry). Every entry is compared, whichever matches."""
        candidate = hashlib.sha256(key.encode("utf-8")).digest()
        found = [caller for digest, caller in self._grants if hmac.compare_digest(candidate, digest)]
        if len(found) < 2:
            return found[0] if found else None
        return Caller(found[0].key_id, frozenset().union(*(caller.scopes for caller in found)))

    def scopes_of(self, key: str) -> frozenset[Scope] | None:
        """What `key` may do, None for a key no entry knows (a hash listed twice gets both scopes)."""
        caller = self.caller(key)
        return None if caller is None else caller.scopes

    def knows(self, key: str) -> bool:
        return self.scopes_of(key) is not None
