"""The scoring-model port: what the domain needs from a trained model, whatever its library."""

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence

Features = Mapping[str, object]
"""Model inputs by name (features.MODEL_FEATURES); None marks a missing value."""


class ScoringModel(ABC):
    """A trained appetence model. Implementations must return probabilities in [0, 1]."""

    version: str
    publication_lag_days: int = 0
    """The as-of rule's lag the model was trained with: serving must pick indicators the same way."""

    @abstractmethod
    def predict_one(self, features: Features) -> float:
        """Appetence of one customer: the single-row path the marketing tools use."""

    @abstractmethod
    def predict_many(self, rows: Sequence[Features]) -> list[float]:
        """Appetence of a campaign list, in order."""
