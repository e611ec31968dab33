"""Which model answers: the default one (pinned version or champion, loaded at start) or the version
named by `?model=`, loaded on first use and kept in a bounded LRU so that callers cycling through
versions cannot exhaust memory (cachetools' LRUCache: the same library as the socio_eco cache).
"""

import threading
from typing import Any

from cachetools import LRUCache

from chaos.domain.scoring import ScoringModel, check_vocabulary
from chaos.infrastructure.models.artifacts import ArtifactStore, ModelLoadError

SUMMARY_KEYS = ("trained_at", "model_family", "data", "metrics")


class UnknownModel(LookupError):
    """No servable model of that `version`; the message says why (for the logs: it may name the
    store's files), `versions` what exists."""

    def __init__(self, version: str, reason: str, versions: list[str]):
        super().__init__(reason)
        self.version = version
        self.versions = versions


def servable(model: ScoringModel) -> ScoringModel:
    """`model`, or ValueError when no request could be scored by it."""
    check_vocabulary(model.vocabulary)
    return model


class ModelRegistry:
    def __init__(self, default: ScoringModel, store: ArtifactStore, capacity: int):
        self.default = servable(default)
        self.store = store
        self._loaded: LRUCache[str, ScoringModel] = LRUCache(maxsize=capacity)
        self._lock = threading.Lock()

    def model(self, version: str | None) -> ScoringModel:
        """The default model for None, else that version (UnknownModel if it cannot be served)."""
        if version is None or version == self.default.version:
            return self.default
        with self._lock:
            found = self._loaded.get(version)
        if found is None:
            found = self._load(version)
            with self._lock:
                self._loaded[version] = found
        return found

    def summaries(self) -> list[dict[str, Any]]:
        """Every saved version, newest first, and the default one if it comes from elsewhere."""
        versions = self.store.versions()
        if self.default.version not in versions:
            versions.insert(0, self.default.version)
        return [self.describe(version, SUMMARY_KEYS) for version in versions]

    def describe(self, version: str, keys: tuple[str, ...] | None = None) -> dict[str, Any]:
        """The version's metadata (only `keys` of it if given) with its role; UnknownModel if absent."""
        try:
            metadata = self._metadata(version)
            problem = None
        except ModelLoadError as error:
            if version not in self.store.versions():
                raise UnknownModel(version, str(error), self.store.versions()) from error
            metadata, problem = {}, str(error)  # listed, but said to be unreadable: nothing hidden
        kept = {key: value for key, value in metadata.items() if keys is None or key in keys}
        return {
            "version": version,
            "champion": version == self.store.champion(),
            "default": version == self.default.version,
            **{key: value for key, value in kept.items() if key != "version"},
            **({"problem": problem} if problem else {}),
        }

    def report(self, version: str) -> bytes:
        """The version's HTML report, checked against its signature; UnknownModel when there is none."""
        try:
            return self.store.report(version)
        except ModelLoadError as error:
            raise UnknownModel(version, str(error), self.store.versions()) from error

    def _metadata(self, version: str) -> dict[str, Any]:
        if version == self.default.version and version not in self.store.versions():
            return dict(self.default.metadata)
        return self.store.metadata(version)

    def _load(self, version: str) -> ScoringModel:
        try:
            return servable(self.store.load(version))
        except (ModelLoadError, ValueError) as error:
            raise UnknownModel(version, str(error), self.store.versions()) from error
