"""The served model's real performance, measured day by day once the outcomes are known, and where
those measures are kept (written by `chaos monitor`, read by `/metrics` and `/monitoring`)."""

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class MeasureSource(StrEnum):
    """What a day's figures were computed from."""

    SERVED = "served"
    """The served record: the probabilities answered, joined with the outcomes by contact id."""
    RESCORED = "rescored"
    """No answer of the day was recorded: its resolved contacts scored again as they were served."""


@dataclass(frozen=True)
class DayPerformance:
    """How the scores one model version served for one day's contacts did."""

    model_version: str
    day: date
    contacts: int
    """Contacts of the day with a resolved outcome, scored as served."""
    observed_rate: float
    mean_prediction: float
    brier: float
    brier_constant: float
    """The Brier of a constant at the observed rate: what knowing only the rate would score."""
    brier_skill: float | None
    """1 - brier / brier_constant; None when every outcome of the day is the same."""
    calibration_in_the_large: float
    """Observed rate minus mean prediction: 0 when the level is right."""
    calibration_slope: float | None
    """1 when the spread of the scores is right; None when no finite fit exists (a single class, or
    classes whose scores do not overlap)."""
    roc_auc: float | None
    within_day_auc: float | None
    """Both over the ranking window ending that day; None without a (subscriber, non-subscriber) pair."""
    source: MeasureSource


class PerformanceLog(ABC):
    """The measures kept per (model version, day)."""

    @abstractmethod
    def record(self, measures: Sequence[DayPerformance]) -> None:
        """Write `measures`, replacing those of the same (model version, day)."""

    @abstractmethod
    def latest(self) -> list[DayPerformance]:
        """The newest day measured of each model version.

        Raises IndicatorsUnavailable when the store cannot answer."""

    @abstractmethod
    def history(self, first: date) -> list[DayPerformance]:
        """Every measure from `first` on, by model version then day."""
