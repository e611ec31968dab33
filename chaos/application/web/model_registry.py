"""Which model answers: the default one (pinned version or champion, loaded at start) or the version
named by `?model=`, loaded on first use and kept in a bounded LRU so that callers cycling through
versions cannot exhaust memory (cachetools' LRUCache: the same library as the socio_eco cache).

Each version has its own request schema, since labels come from the vocabulary it was trained on.
"""

import threading
from typing import Any, NamedTuple

from cachetools import LRUCache

from chaos.application.web.appetence_schema import AppetenceSchema
from chaos.application.web.batch_schema import BatchSchema
from chaos.domain.scoring import ScoringModel
from chaos.infrastructure.models.artifacts import ArtifactStore, ModelLoadError

SUMMARY_KEYS = ("trained_at", "model_family", "data", "metrics")


class UnknownModel(LookupError):
    """No servable model of that version; the message says why."""


class ServedModel(NamedTuple):
    model: ScoringModel
    schema: AppetenceSchema
    batch: BatchSchema

    @classmethod
    def of(cls, model: ScoringModel, max_rows: int) -> "ServedModel":
        """Raises ValueError when the model's vocabulary cannot make a request schema."""
        schema = AppetenceSchema(model.vocabulary)
        return cls(model, schema, BatchSchema(schema, max_rows))


class ModelRegistry:
    def __init__(self, default: ServedModel, store: ArtifactStore, capacity: int):
        self.default = default
        self.max_rows = default.batch.max_rows
        self.store = store
        self._loaded: LRUCache = LRUCache(maxsize=capacity)
        self._lock = threading.Lock()

    def served(self, version: str | None) -> ServedModel:
        """The default model for None, else that version (UnknownModel if it cannot be served)."""
        if version is None or version == self.default.model.version:
            return self.default
        with self._lock:
            found = self._loaded.get(version)
        if found is None:
            found = self._load(version)
            with self._lock:
                self._loaded[version] = found
        return found

    @property
    def loaded_versions(self) -> list[str]:
        with self._lock:
            return [self.default.model.version, *self._loaded.keys()]

    def summaries(self) -> list[dict[str, Any]]:
        """Every saved version, newest first, and the default one if it comes from elsewhere."""
        versions = self.store.versions()
        if self.default.model.version not in versions:
            versions.insert(0, self.default.model.version)
        return [self.describe(version, SUMMARY_KEYS) for version in versions]

    def describe(self, version: str, keys: tuple[str, ...] | None = None) -> dict[str, Any]:
        """The version's metadata (only `keys` of it if given) with its role; UnknownModel if absent."""
        try:
            metadata = self._metadata(version)
            problem = None
        except ModelLoadError as error:
            if version not in self.store.versions():
                raise UnknownModel(str(error)) from error
            metadata, problem = {}, str(error)  # listed, but said to be unreadable: nothing hidden
        kept = {key: value for key, value in metadata.items() if keys is None or key in keys}
        return {
            "version": version,
            "champion": version == self.store.champion(),
            "default": version == self.default.model.version,
            **{key: value for key, value in kept.items() if key != "version"},
            **({"problem": problem} if problem else {}),
        }

    def _metadata(self, version: str) -> dict[str, Any]:
        if version == self.default.model.version and version not in self.store.versions():
            return dict(getattr(self.default.model, "metadata", {}))
        return self.store.metadata(version)

    def _load(self, version: str) -> ServedModel:
        try:
            model = self.store.load(version)
            return ServedModel.of(model, self.max_rows)
        except (ModelLoadError, ValueError) as error:
            raise UnknownModel(str(error)) from error
