"""The model store the configuration names: Cloud Storage for `model.store: gs://...`, else the local
directory; trusting `model.public_keys`, signing with `model.signing_key_file` when it is set."""

from chaos.infrastructure.config.settings import ModelSettings
from chaos.infrastructure.models.artifacts import ArtifactStore, ModelLoadError
from chaos.infrastructure.models.cached_store import CachedStore
from chaos.infrastructure.models.signing import SignatureError, read_private_key
from chaos.infrastructure.models.storage import LocalStorage


def configured_store(configured: ModelSettings) -> ArtifactStore:
    """With a bucket, `directory` holds the local copy of the verified versions (cached_store.py)."""
    try:
        key = read_private_key(configured.signing_key_file) if configured.signing_key_file else None
    except SignatureError as error:
        raise ModelLoadError(str(error)) from error
    if configured.store:
        from chaos.infrastructure.models.gcs_storage import GcsStorage  # imports the GCS client

        return CachedStore(GcsStorage(configured.store), configured.public_keys, key, configured.directory)
    return ArtifactStore(LocalStorage(configured.directory), configured.public_keys, key)
