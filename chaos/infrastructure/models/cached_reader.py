"""A bucket-backed model reader with a local copy of what it verified, so that a pod restarted while
the bucket cannot be reached still starts, on the last champion it served, verified again.

Every version loaded from the bucket (signature and files checked) is copied to the local
directory, create-only like any store; the copy's champion pointer (and its history entry) is the
signed statement last followed in the bucket, so the copy is checked like the bucket. Only an
unavailable store falls back on the copy (no bucket, no permission, unreachable): a version the
bucket holds but that fails verification is refused, never replaced by an older one. With nothing
verified in the copy either, the error names both.
"""

import contextlib
import logging
from pathlib import Path

from chaos.domain.model_store import ModelLoadError, StoreUnavailable
from chaos.infrastructure.models.artifacts import CHAMPION_FILE, MANIFEST_FILE, ArtifactReader, TrainedModel
from chaos.infrastructure.models.champion_pointer import entry_key
from chaos.infrastructure.models.storage import LocalStorage, ObjectExists, ObjectStorage, StorageError

log = logging.getLogger(__name__)


class CachedReader(ArtifactReader):
    def __init__(self, storage: ObjectStorage, public_keys: tuple[str, ...] | list[str], directory: Path):
        super().__init__(storage, public_keys)
        self.copy = ArtifactReader(LocalStorage(directory), public_keys)
        self._just_verified: dict[str, dict[str, bytes]] = {}

    def verified(self, version: str) -> dict[str, bytes]:
        files = super().verified(version)
        self._just_verified[version] = files
        return files

    def load(self, version: str | None = None) -> TrainedModel:
        try:
            if version is None:
                version = self.champion()
            model = super().load(version)
        except StoreUnavailable as error:
            try:
                model = self.copy.load(version)
            except ModelLoadError:
                raise StoreUnavailable(
                    f"{error}; nothing verified in the local copy {self.copy.location}"
                ) from error
            log.warning("serving %s from the local copy %s: %s", model.version, self.copy.location, error)
            return model
        self._keep(model.version)
        return model

    def _keep(self, version: str) -> None:
        """Best effort: a copy that cannot be written (read-only disk) costs only the fallback."""
        try:
            files = self._just_verified.pop(version)
            for name, content in sorted(files.items(), key=lambda item: item[0] == MANIFEST_FILE):
                try:
                    self.copy.storage.create(f"{version}/{name}", content)
                except ObjectExists:
                    continue
            followed = self._floor
            if followed is not None and version == followed.version:
                with contextlib.suppress(ObjectExists):  # kept when an earlier start followed it
                    self.copy.storage.create(entry_key(followed.sequence), followed.content)
                pointer = self.copy.storage.pointer(CHAMPION_FILE)
                self.copy.storage.replace(CHAMPION_FILE, followed.content, pointer)
        except (KeyError, StorageError, OSError) as error:
            log.warning("no local copy of %s in %s: %s", version, self.copy.location, error)
