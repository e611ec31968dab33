"""Each model's request schemas: its labels make them, so they are built per model, on first use.

They are kept as long as the model itself (a weak reference): when the model registry drops a
version from its LRU, its schemas go with it, with no second cache to size. The model asked last
is also kept at hand, so one dropped version may outlive its eviction until another is asked.
"""

import threading
from typing import NamedTuple
from weakref import WeakKeyDictionary

from chaos.domain.scoring import ScoringModel
from chaos.entrypoints.web.appetence_schema import AppetenceSchema
from chaos.entrypoints.web.batch_schema import BatchSchema
from chaos.entrypoints.web.outcome_schema import OutcomeSchema


class ModelSchemas(NamedTuple):
    single: AppetenceSchema
    batch: BatchSchema
    outcomes: OutcomeSchema


class RequestSchemas:
    def __init__(self, batch_max_rows: int):
        self.batch_max_rows = batch_max_rows
        self._built: WeakKeyDictionary[ScoringModel, ModelSchemas] = WeakKeyDictionary()
        self._lock = threading.Lock()
        self._last: tuple[ScoringModel, ModelSchemas] | None = None
        """The model asked last and its schemas: nearly every request asks for the champion's, found
        here without hashing the model or a weak reference made to look it up."""

    def of(self, model: ScoringModel) -> ModelSchemas:
        """Raises ValueError when the model's vocabulary cannot make a request schema."""
        last = self._last
        if last is not None and last[0] is model:
            return last[1]
        with self._lock:
            found = self._built.get(model)
        if found is None:
            single = AppetenceSchema(model.vocabulary)
            found = ModelSchemas(
                single,
                BatchSchema(single, self.batch_max_rows),
                OutcomeSchema(single, self.batch_max_rows),
            )
            with self._lock:
                self._built[model] = found
        self._last = model, found
        return found
