"""The model store on Google Cloud Storage, through the official client (`google-cloud-storage`).

Versions are created with `ifGenerationMatch=0` (only if absent), and the champion pointer is
replaced with `ifGenerationMatch=<the generation read>`: Cloud Storage itself refuses (412) a write
over an existing version or over a pointer someone else changed. Credentials are the client's
usual ones (Workload Identity in the pod, `gcloud auth application-default login` on a machine);
`STORAGE_EMULATOR_HOST` points it at a local server speaking the same API.
"""

import contextlib
import os
from collections.abc import Iterator

from google.api_core import exceptions
from google.api_core.retry import Retry
from google.auth.exceptions import GoogleAuthError
from google.cloud import storage
from requests import RequestException

from chaos.infrastructure.models.storage import (
    ObjectExists,
    ObjectMissing,
    Pointer,
    PointerConflict,
    StorageError,
)

TIMEOUT_SECONDS = 10
RETRY = Retry(timeout=20)
"""Transient failures (429, 5xx, a dropped connection) are retried for at most 20 s: a start or a
refresh against an unreachable store ends with an error instead of hanging."""


class GcsStorage:
    """A bucket and prefix. The client is made per process: gunicorn forks workers from the master
    that loaded the model, and a connection pool shared across a fork mixes their answers."""

    def __init__(self, url: str):
        self.bucket_name, _, prefix = url.removeprefix("gs://").partition("/")
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.location = f"gs://{self.bucket_name}/{self.prefix}"
        self._clients: dict[int, storage.Client] = {}

    @property
    def client(self) -> storage.Client:
        pid = os.getpid()
        if pid not in self._clients:
            with _translated(self.location):
                self._clients = {pid: storage.Client()}
        return self._clients[pid]

    @property
    def bucket(self) -> storage.Bucket:
        return self.client.bucket(self.bucket_name)

    def name(self, key: str) -> str:
        return self.location + key

    def read(self, key: str) -> bytes:
        with _translated(self.name(key)):
            try:
                return self._blob(key).download_as_bytes(timeout=TIMEOUT_SECONDS, retry=RETRY)
            except exceptions.NotFound as error:
                raise ObjectMissing(f"{self.name(key)} is missing") from error

    def create(self, key: str, content: bytes) -> None:
        with _translated(self.name(key)):
            try:
                self._blob(key).upload_from_string(
                    content, if_generation_match=0, timeout=TIMEOUT_SECONDS, retry=RETRY
                )
            except exceptions.PreconditionFailed as error:
                raise ObjectExists(f"{self.name(key)} exists (versions are never overwritten)") from error

    def keys(self, prefix: str = "") -> list[str]:
        with _translated(f"bucket {self.bucket_name}"):
            blobs = self.client.list_blobs(
                self.bucket, prefix=self.prefix + prefix, timeout=TIMEOUT_SECONDS, retry=RETRY
            )
            return sorted(blob.name.removeprefix(self.prefix) for blob in blobs)

    def refused(self, prefix: str = "") -> dict[str, str]:
        """None: a bucket holds only objects (no links); a bad object's content is refused where read."""
        return {}

    def remove(self, key: str) -> None:
        with _translated(self.name(key)):
            try:
                self._blob(key).delete(timeout=TIMEOUT_SECONDS, retry=RETRY)
            except exceptions.NotFound:
                return

    def pointer(self, key: str) -> Pointer:
        with _translated(self.name(key)):
            blob = self.bucket.get_blob(self.prefix + key, timeout=TIMEOUT_SECONDS, retry=RETRY)
            if blob is None:
                if not self.bucket.exists(timeout=TIMEOUT_SECONDS, retry=RETRY):
                    raise StorageError(f"bucket {self.bucket_name} does not exist")
                return Pointer(None, 0)
            generation = blob.generation  # read first: a download resets it from the response's headers
            try:
                content = blob.download_as_bytes(
                    if_generation_match=generation, timeout=TIMEOUT_SECONDS, retry=RETRY
                )
            except (exceptions.PreconditionFailed, exceptions.NotFound):
                return self.pointer(key)  # replaced or removed between the two calls: read again
            return Pointer(content, generation)

    def replace(self, key: str, content: bytes, read: Pointer) -> None:
        with _translated(self.name(key)):
            try:
                self._blob(key).upload_from_string(
                    content, if_generation_match=read.generation, timeout=TIMEOUT_SECONDS, retry=RETRY
                )
            except exceptions.PreconditionFailed as error:
                raise PointerConflict(f"{self.name(key)} changed since it was read") from error

    def _blob(self, key: str) -> storage.Blob:
        return self.bucket.blob(self.prefix + key)


@contextlib.contextmanager
def _translated(what: str) -> Iterator[None]:
    """The client's errors as one-line StorageErrors naming the object or bucket."""
    try:
        yield
    except StorageError:
        raise
    except exceptions.NotFound as error:
        raise StorageError(f"{what}: not found (does the bucket exist?): {_first_line(error)}") from error
    except exceptions.Forbidden as error:
        raise StorageError(f"{what}: permission denied: {_first_line(error)}") from error
    except exceptions.GoogleAPICallError as error:
        raise StorageError(f"{what}: {_first_line(error)}") from error
    except (exceptions.RetryError, GoogleAuthError, RequestException) as error:
        raise StorageError(f"{what}: unreachable: {_first_line(error)}") from error


def _first_line(error: Exception) -> str:
    return (str(error).splitlines() or [type(error).__name__])[0]
