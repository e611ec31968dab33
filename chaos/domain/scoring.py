"""The scoring-model port: what the domain needs from a trained model, whatever its library.

A model answers log-odds, not probabilities: the probability served is the log-odds plus the
calibration of the day (calibration.py), so a model never decides the level by itself.
"""

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

from chaos.domain.features import CATEGORICAL

Features = Mapping[str, object]
"""Model inputs by name (features.MODEL_FEATURES); None marks a missing value."""


class ScoringModel(ABC):
    """A trained appetence model: log-odds as the intercept plus one additive term per feature."""

    version: str
    intercept: float
    vocabulary: Mapping[str, Sequence[str]]
    """The labels of each categorical feature seen in training, in the training data's spelling."""
    metadata: Mapping[str, Any] = MappingProxyType({})
    """How the model was trained (date, family, data, metrics); empty for a model built in memory."""
    publication_lag_days: int = 0
    """The as-of rule's lag the model was trained with: serving must pick indicators the same way."""

    @abstractmethod
    def log_odds_one(self, features: Features) -> float:
        """Log-odds of one customer before calibration: the single-row path the marketing tools use."""

    @abstractmethod
    def log_odds_many(self, rows: Sequence[Features]) -> list[float]:
        """Log-odds of a campaign list, in order."""

    @abstractmethod
    def contributions(self, features: Features) -> dict[str, float]:
        """Each feature's additive term of `log_odds_one`, by feature name (explanations)."""


def check_vocabulary(vocabulary: Mapping[str, Sequence[str]]) -> None:
    """ValueError when a categorical feature has no label: such a model cannot be served, since no
    customer could name a label it knows."""
    lacking = [name for name in CATEGORICAL if not vocabulary.get(name)]
    if lacking:
        raise ValueError(f"the model's vocabulary has no labels for {lacking}: retrain the model")
