"""How well the served scores did once their outcomes are known: the figures of one day.

The day's own contacts give the level figures: Brier (the mean squared error of the probability),
the Brier of a constant at the day's observed rate (what knowing only the rate would score) and the
skill between them, calibration-in-the-large (observed rate minus mean prediction: the level is
right at 0) and the calibration slope (`calibration_slope`: the unpenalised logistic regression of
the outcome on the served log-odds, 1 when the spread is right, below 1 when scores are too
extreme; the model evaluation's figure too). Ranking needs
more pairs than a day has, so the AUCs use the trailing RANKING_WINDOW_DAYS days: pooled, and
within a day only (pairs contacted the same day, which the day-to-day level cannot inflate, as the
model report's within-month AUC).

AUC and Brier are plain numpy, equal to scikit-learn's to the last bits; the slope is the exact
maximum of the likelihood (Newton's method to convergence), where scikit-learn's solvers stop near
it.
"""

from datetime import date

import numpy as np

from chaos.domain.calibration import logistic_fit
from chaos.domain.performance import DayPerformance, MeasureSource

RANKING_WINDOW_DAYS = 7
PROBABILITY_CLIP = 1e-12
"""Probabilities are kept this far from 0 and 1 before their log-odds are taken."""


def day_performance(
    version: str,
    day: date,
    target: np.ndarray,
    probability: np.ndarray,
    dates: np.ndarray,
    source: MeasureSource,
) -> DayPerformance:
    """The figures of `day` for model `version`; the arrays cover at least the ranking window ending
    that day, and `day` has contacts."""
    today = dates == np.datetime64(day, "D")
    window = (dates > np.datetime64(day, "D") - RANKING_WINDOW_DAYS) & (dates <= np.datetime64(day, "D"))
    y, p = target[today], probability[today]
    rate = float(y.mean())
    brier = float(np.mean((y - p) ** 2))
    constant = rate * (1 - rate)
    return DayPerformance(
        model_version=version,
        day=day,
        contacts=int(today.sum()),
        observed_rate=rate,
        mean_prediction=float(p.mean()),
        brier=brier,
        brier_constant=constant,
        brier_skill=1 - brier / constant if constant > 0 else None,
        calibration_in_the_large=rate - float(p.mean()),
        calibration_slope=calibration_slope(y, p),
        roc_auc=roc_auc(target[window], probability[window]),
        within_day_auc=within_group_auc(target[window], probability[window], dates[window]),
        source=source,
    )


def calibration_slope(target: np.ndarray, probability: np.ndarray) -> float | None:
    """The b of P(outcome) = sigmoid(a + b logit(probability)), fitted exactly (`logistic_fit`): 1
    for well-spread scores, below 1 when they are too spread out, negative when they rank backwards.
    None when no finite fit exists: a single class, a single probability, or classes that do not
    overlap (the probabilities of one class all at or below those of the other)."""
    clipped = np.clip(probability, PROBABILITY_CLIP, 1 - PROBABILITY_CLIP)
    fitted = logistic_fit(np.log(clipped / (1 - clipped)), target)
    return None if fitted is None else fitted[1]


def roc_auc(target: np.ndarray, score: np.ndarray) -> float | None:
    """The probability that a subscriber outscores a non-subscriber, ties counting half (the
    Mann-Whitney rank formula, with average ranks for ties); None without both classes."""
    positives = int(np.count_nonzero(target))
    negatives = len(target) - positives
    if not positives or not negatives:
        return None
    ranks = _average_ranks(score)
    return (float(ranks[target.astype(bool)].sum()) - positives * (positives + 1) / 2) / (
        positives * negatives
    )


def within_group_auc(target: np.ndarray, probability: np.ndarray, groups: np.ndarray) -> float | None:
    """Each group's AUC weighted by its number of (subscriber, non-subscriber) pairs: only pairs
    within a group count. None when no group holds such a pair."""
    total, pairs = 0.0, 0
    for group in np.unique(groups):
        inside = groups == group
        positives = int(target[inside].sum())
        weight = positives * (int(inside.sum()) - positives)
        if weight:
            total += weight * float(roc_auc(target[inside], probability[inside]))  # type: ignore[arg-type]
            pairs += weight
    return total / pairs if pairs else None


def _average_ranks(values: np.ndarray) -> np.ndarray:
    """Ranks from 1, tied values sharing the mean of the ranks they span."""
    order = np.argsort(values, kind="mergesort")
    ordered = values[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    ends = np.r_[starts[1:], len(values)]
    mean_rank = (starts + ends + 1) / 2
    ranks = np.empty(len(values), dtype=float)
    ranks[order] = np.repeat(mean_rank, ends - starts)
    return ranks
