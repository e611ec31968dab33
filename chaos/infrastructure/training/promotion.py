"""The promotion gate: a candidate replaces the champion only if it is not worse on the same
holdout, scored by the same protocol.

Not worse means: the lower bound of the month-resampled 95% interval of the ROC AUC difference
(candidate minus champion) is above `AUC_MARGIN`, and the Brier score is not higher by more
than `BRIER_TOLERANCE`. A month-level resampling, because months, not contacts, are the
independent draws of this data (resampling.py).
"""

from dataclasses import asdict, dataclass

import numpy as np
from sklearn.metrics import brier_score_loss, roc_auc_score

from chaos.infrastructure.training.evaluation import Evaluation
from chaos.infrastructure.training.resampling import month_interval

AUC_MARGIN = -0.01
BRIER_TOLERANCE = 0.002


@dataclass(frozen=True)
class Comparison:
    """Candidate against champion on the same holdout; `promote` is the gate's verdict."""

    champion: str
    auc_candidate: float
    auc_champion: float
    auc_difference_interval: tuple[float, float]
    brier_candidate: float
    brier_champion: float
    promote: bool
    reason: str

    def as_dict(self) -> dict:
        return {**asdict(self), "auc_difference_interval": list(self.auc_difference_interval)}


def compare(candidate: Evaluation, champion: Evaluation, champion_version: str) -> Comparison:
    target, dates = candidate.target, candidate.dates
    if not (np.array_equal(target, champion.target) and np.array_equal(dates, champion.dates)):
        raise ValueError("candidate and champion were not evaluated on the same holdout")
    first, second = candidate.probability, champion.probability

    def auc_difference(rows: np.ndarray) -> float:
        if len(np.unique(target[rows])) < 2:
            return float("nan")
        return roc_auc_score(target[rows], first[rows]) - roc_auc_score(target[rows], second[rows])

    low, high = month_interval(auc_difference, dates)
    brier_candidate = float(brier_score_loss(target, first))
    brier_champion = float(brier_score_loss(target, second))
    failures = []
    if not low > AUC_MARGIN:
        failures.append(
            f"AUC difference 95% interval [{low:+.4f}, {high:+.4f}] reaches below {AUC_MARGIN:+.2f}"
        )
    if brier_candidate > brier_champion + BRIER_TOLERANCE:
        failures.append(
            f"Brier {brier_candidate:.4f} is worse than the champion's {brier_champion:.4f} "
            f"by more than {BRIER_TOLERANCE}"
        )
    return Comparison(
        champion=champion_version,
        auc_candidate=float(roc_auc_score(target, first)),
        auc_champion=float(roc_auc_score(target, second)),
        auc_difference_interval=(low, high),
        brier_candidate=brier_candidate,
        brier_champion=brier_champion,
        promote=not failures,
        reason="; ".join(failures) or "not worse than the champion",
    )
