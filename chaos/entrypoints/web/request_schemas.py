"""Each model's request schemas: its labels make them, so they are built per model, on first use.

They are kept as long as the model itself (a weak reference): when the model registry drops a
version from its LRU, its schemas go with it, with no second cache to size.
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

    def of(self, model: ScoringModel) -> ModelSchemas:
        """Raises ValueError when the model's vocabulary cannot make a request schema."""
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
        return found
