"""The key and configuration of a place that publishes models, for the suites and `make pod`: a store
that does not trust the published demo key."""

import json
import shutil
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from chaos.infrastructure.models.artifacts import ArtifactReader
from chaos.infrastructure.models.publishing import ArtifactPublisher
from chaos.infrastructure.models.signing import public_text, sign

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


def resigned(source: Path, target: Path) -> Path:
    """A copy of the demo-signed store `source` at `target`, its versions signed by PUBLISHER and its
    champion moved there by a statement of PUBLISHER's: what a pod on an external database (where the
    demo signing key is refused) serves, with the same version names."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("CHAMPION", "history", ".*"))
    for manifest in target.glob("*/manifest.json"):
        manifest.write_bytes(sign(json.loads(manifest.read_bytes())["manifest"], PUBLISHER))
    champion = ArtifactReader(source).champion()
    if champion is not None:
        publisher = ArtifactPublisher(target, [public_text(PUBLISHER)], PUBLISHER)
        publisher.set_champion(champion, {"decision": "copied"})
    return target
