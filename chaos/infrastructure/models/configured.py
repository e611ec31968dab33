"""The model store the configuration names: Cloud Storage for `model.store: gs://...`, else the local
directory; trusting `model.public_keys`. Pods and the jobs that only score get a reader; the jobs
that publish a publisher, signing with `model.signing_key_file`."""

from chaos.domain.model_store import ModelLoadError
from chaos.infrastructure.config.settings import ModelSettings
from chaos.infrastructure.models.artifacts import ArtifactReader
from chaos.infrastructure.models.cached_reader import CachedReader
from chaos.infrastructure.models.publishing import ArtifactPublisher
from chaos.infrastructure.models.signing import SignatureError, read_private_key
from chaos.infrastructure.models.storage import LocalStorage


def configured_reader(configured: ModelSettings) -> ArtifactReader:
    """With a bucket, `directory` holds the local copy of the verified versions (cached_reader.py)."""
    if configured.store:
        from chaos.infrastructure.models.gcs_storage import GcsStorage  # imports the GCS client

        return CachedReader(GcsStorage(configured.store), configured.public_keys, configured.directory)
    return ArtifactReader(LocalStorage(configured.directory), configured.public_keys)


def configured_publisher(configured: ModelSettings) -> ArtifactPublisher:
    try:
        key = read_private_key(configured.signing_key_file) if configured.signing_key_file else None
    except SignatureError as error:
        raise ModelLoadError(str(error)) from error
    if configured.store:
        from chaos.infrastructure.models.gcs_storage import GcsStorage  # imports the GCS client

        return ArtifactPublisher(GcsStorage(configured.store), configured.public_keys, key)
    return ArtifactPublisher(LocalStorage(configured.directory), configured.public_keys, key)
