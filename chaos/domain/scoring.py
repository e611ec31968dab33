"""The scoring-model port: what the domain needs from a trained model, whatever its library."""

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

from chaos.domain.features import CATEGORICAL

Features = Mapping[str, object]
"""Model inputs by name (features.MODEL_FEATURES); None marks a missing value."""


class ScoringModel(ABC):
    """A trained appetence model. Implementations must return probabilities in [0, 1]."""

    version: str
    vocabulary: Mapping[str, Sequence[str]]
    """The labels of each categorical feature seen in training, in the training data's spelling."""
    metadata: Mapping[str, Any] = MappingProxyType({})
    """How the model was trained (date, family, data, metrics); empty for a model built in memory."""
    publication_lag_days: int = 0
    """The as-of rule's lag the model was trained with: serving must pick indicators the same way."""

    @abstractmethod
    def predict_one(self, features: Features) -> float:
        """Appetence of one customer: the single-row path the marketing tools use."""

    @abstractmethod
    def predict_many(self, rows: Sequence[Features]) -> list[float]:
        """Appetence of a campaign list, in order."""


def check_vocabulary(vocabulary: Mapping[str, Sequence[str]]) -> None:
    """ValueError when a categorical feature has no label: such a model cannot be served, since no
    customer could name a label it knows."""
    lacking = [name for name in CATEGORICAL if not vocabulary.get(name)]
    if lacking:
        raise ValueError(f"the model's vocabulary has no labels for {lacking}: retrain the model")
