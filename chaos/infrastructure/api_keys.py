"""API keys: how a key is made, how its hash is written in the configuration, how a key is checked.

Keys are 256-bit random tokens, so one SHA-256 round is enough to store them (a slow password
hash protects guessable secrets; these are not guessable) and lets the configuration, which comes
from a Kubernetes Secret, hold only `sha256:<hex>` lines. Every check compares against every
configured hash with `hmac.compare_digest`, so the time taken says nothing about how close a
guess was, nor which hash matched.
"""

import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable

PREFIX = "sha256:"
HASH_PATTERN = r"^sha256:[0-9a-f]{64}$"
KEY_PATTERN = re.compile(r"^[A-Za-z0-9\-._~+/]{8,256}=*$")
"""What a key may look like: RFC 6750's `b64token`, 8 to 256 characters."""

DEMO_KEY = "chaos-demo-key"  # pragma: allowlist secret
"""The key the embedded demo accepts out of the box; published in the README, so never valid with an
external database (Settings refuses it there)."""


def key_hash(key: str) -> str:
    """The line to put in `api.keys` for `key`."""
    return PREFIX + hashlib.sha256(key.encode("utf-8")).hexdigest()


DEMO_KEY_HASH = key_hash(DEMO_KEY)


def new_key() -> str:
    """A fresh key: 32 random bytes, URL-safe base64 (43 characters), a valid Bearer token."""
    return "chaos_" + secrets.token_urlsafe(32)


def is_well_formed(key: str) -> bool:
    return bool(KEY_PATTERN.match(key))


class KeyRing:
    """The configured key hashes; `knows(key)` in constant time with respect to the candidates."""

    def __init__(self, hashes: Iterable[str]):
        self._digests = [bytes.fromhex(line.removeprefix(PREFIX)) for line in hashes]

    def knows(self, key: str) -> bool:
        candidate = hashlib.sha256(key.encode("utf-8")).digest()
        found = False
        for digest in self._digests:
            found |= hmac.compare_digest(candidate, digest)
        return found
