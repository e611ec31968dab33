"""The training port: what the training use case needs from the library that fits and judges models.

The use case (chaos/application/train_model_for_appetence.py) decides what is published and whether
it becomes the champion; a trainer (chaos/infrastructure/training) fits the family on the call log,
judges it on the holdout as served, compares it with the champion's recipe, and packages it.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Protocol

import numpy as np


class TrainingError(Exception):
    """Training cannot produce a meaningful model from the data at hand."""


@dataclass(frozen=True)
class TrainingWindow:
    """Training contacts dated `since` <= date < `until` (either open); the holdout never changes."""

    since: date | None = None
    until: date | None = None

    def mask(self, dates: np.ndarray) -> np.ndarray:
        keep = np.ones(len(dates), dtype=bool)
        if self.since:
            keep &= dates >= np.datetime64(self.since)
        if self.until:
            keep &= dates < np.datetime64(self.until)
        return keep

    def as_dict(self) -> dict:
        return {"since": self.since and str(self.since), "until": self.until and str(self.until)}

    @classmethod
    def recorded(cls, metadata: Mapping) -> "TrainingWindow":
        """The window a published model's metadata records (open when it records none)."""
        recorded = metadata.get("training_window") or {}
        since, until = (recorded.get(key) for key in ("since", "until"))
        return cls(since and date.fromisoformat(since), until and date.fromisoformat(until))


class Verdict(Protocol):
    """The promotion gate's comparison of a candidate with the champion's recipe."""

    champion: str
    promote: bool
    reason: str

    def as_dict(self) -> dict: ...


@dataclass(frozen=True)
class Candidate:
    """A model fitted, judged and packaged, not yet published."""

    artifact: Mapping[str, bytes]
    """The files a model store publishes for it (the compiled scorer, the pickled pipeline)."""
    metadata: dict
    """What its metadata records, the promotion decision aside."""
    verdict: Verdict | None
    """The gate's comparison with the champion; None when none was asked or there is none."""
    report: Callable[[dict], bytes]
    """Its HTML report, drawn from the metadata as published (version included)."""


class ModelTrainer(Protocol):
    """Fits the model family on the call log read once, and judges it as served."""

    def fingerprint(self) -> str:
        """What identifies the rows training uses: the same rows, the same fingerprint."""
        ...

    def candidate(
        self,
        window: TrainingWindow,
        champion: tuple[str, TrainingWindow] | None,
        backtest: bool,
        progress: Callable[[str], None],
    ) -> Candidate:
        """The candidate fitted on `window`; compared with the `champion` (its version and the window
        of its recipe) when given; with its walk-forward backtest when asked."""
        ...

    def backtest(self, progress: Callable[[str], None]) -> dict:
        """The walk-forward backtest of the family (monthly refits, each month scored as served)."""
        ...
