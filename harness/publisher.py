"""The key and configuration of a place that publishes models, for the suites and `make pod`: a store
that does not trust the published demo key."""

from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from chaos.infrastructure.models.signing import public_text

PUBLISHER = Ed25519PrivateKey.generate()
"""The signing key of a store that does not trust the published demo key."""


def publisher_settings(directory: Path, key_file: Path) -> dict:
    """The `model` section of a store at `directory` signed by PUBLISHER (its key written to
    `key_file`), as the configuration of the place that publishes models has it."""
    key_file.write_bytes(
        PUBLISHER.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return {"directory": directory, "public_keys": [public_text(PUBLISHER)], "signing_key_file": key_file}
