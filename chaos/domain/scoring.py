"""The scoring-model port: what the domain needs from a trained model, whatever its library.

A model answers log-odds, not probabilities: the probability served is the log-odds plus the
calibration of the day (calibration.py), so a model never decides the level by itself.
"""

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence

Features = Mapping[str, object]
"""Model inputs by name (features.MODEL_FEATURES); None marks a missing value."""


class ScoringModel(ABC):
    """A trained appetence model: log-odds as the intercept plus one additive term per feature."""

    version: str
    intercept: float
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
