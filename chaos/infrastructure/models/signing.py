"""Signed manifests: what makes a model version trustworthy is a signature its readers can check and
a writer of the store cannot forge.

A version's manifest names the version, the sha256 of each of its files and the feature list; it is
signed with an Ed25519 private key held only where models are published, and checked against the
public keys of the configuration (two during a rotation). A file edited with its hash recomputed, a
folder renamed to another version, or a manifest signed by any other key is refused. Ed25519 through
`cryptography` (the library pip itself relies on): a signature is one call, no hand-made crypto.

The demo key is published (derived from a fixed phrase; its public half, config/settings.py's
DEMO_PUBLIC_KEY, is trusted by default) so that a fresh clone can train and serve from its local
directory; the settings refuse it wherever they refuse the demo API key (an external database) and
with a bucket (`model.store`), where production models live.
"""

import base64
import binascii
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

DEMO_PHRASE = b"chaos demo model signing key: published, valid only with a local model directory"


class SignatureError(ValueError):
    """A manifest that is not signed by a trusted key, or a key that cannot be read."""


def demo_private_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(hashlib.sha256(DEMO_PHRASE).digest())


def public_text(key: Ed25519PrivateKey) -> str:
    """The configuration's form of a public key: its 32 raw bytes in base64."""
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def new_private_key_pem() -> bytes:
    """A fresh private key as PKCS#8 PEM (what `openssl genpkey -algorithm ed25519` writes)."""
    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def read_private_key(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as error:
        raise SignatureError(f"cannot read the signing key {path}: {error}") from error
    if not isinstance(key, Ed25519PrivateKey):
        raise SignatureError(f"the signing key {path} is not an Ed25519 key")
    return key


def parse_public_key(text: str) -> Ed25519PublicKey:
    try:
        return Ed25519PublicKey.from_public_bytes(base64.b64decode(text, validate=True))
    except (ValueError, binascii.Error) as error:
        raise SignatureError(f"{text!r} is not an Ed25519 public key in base64 ({error})") from error


def canonical(manifest: dict) -> bytes:
    """The bytes that are signed: one serialisation, whatever the writer's key order or spacing."""
    return json.dumps(manifest, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def sign(manifest: dict, key: Ed25519PrivateKey) -> bytes:
    """The manifest object as stored: the manifest and its signature in one JSON document."""
    signature = base64.b64encode(key.sign(canonical(manifest))).decode("ascii")
    envelope = {"manifest": manifest, "signature": signature, "public_key": public_text(key)}
    return json.dumps(envelope, indent=2, sort_keys=True).encode() + b"\n"


class Verifier:
    """Checks manifests against the trusted public keys."""

    def __init__(self, public_keys: Sequence[str]):
        if not public_keys:
            raise SignatureError("no public key to verify model manifests with (model.public_keys)")
        self.keys = [parse_public_key(text) for text in public_keys]

    def verify(self, content: bytes) -> dict:
        """The manifest inside `content` if one trusted key signed it, else SignatureError."""
        try:
            envelope = json.loads(content)
            manifest, signature = envelope["manifest"], base64.b64decode(envelope["signature"], validate=True)
        except (ValueError, TypeError, KeyError, binascii.Error) as error:
            raise SignatureError(f"not a signed manifest ({error!r})") from error
        if not isinstance(manifest, dict):
            raise SignatureError("not a signed manifest (its manifest is not an object)")
        signed = canonical(manifest)
        for key in self.keys:
            try:
                key.verify(signature, signed)
            except InvalidSignature:
                continue
            return manifest
        raise SignatureError("its signature is not by a trusted key (model.public_keys)")
