"""The headline's uncertainty: ROC AUC and Brier of the holdout with 95% intervals by resampling whole
months, and the same figures on its steady months, apart from the months that dominate it.

One month can hold much of the holdout (the bank's campaigns come in bursts); its level and its
ranking then set much of the pooled figures, and the interval is wide. A month **dominates** when it
holds more than DOMINANCE times the contacts of the holdout's median month (the median, which one
large month does not move); the **steady** months are all the others. The rule reads the data's
own volumes: no date is named.

Every resample's figures are exact and cheap: the pooled ROC AUC is the share of (subscriber,
non-subscriber) pairs ranked right, ties counting half, and a resample's pairs are those of its
months taken as often as drawn, so the pairs of every two months are counted once (`MonthTotals`);
the Brier score is the drawn months' squared errors over their contacts. The draws are
resampling.py's, so an interval here is month_interval's for the same statistic.
"""

from dataclasses import dataclass

import numpy as np

from chaos.infrastructure.training.evaluation import holdout_metrics
from chaos.infrastructure.training.resampling import (
    LEVEL,
    RESAMPLES,
    SEED,
    month_draws,
    month_groups,
    percentile_interval,
)

DOMINANCE = 4.0
METHOD = "percentile interval over resamples of the holdout's whole months, drawn with replacement"
STEADY_RULE = (
    f"a month dominates when it holds more than {DOMINANCE:g} times the contacts of the holdout's "
    "median month; the steady months are all the others"
)


@dataclass(frozen=True)
class MonthTotals:
    """What the figures of any resample of months are made of, month by month."""

    right_pairs: np.ndarray
    """[i, j]: pairs of a subscriber of month i and a non-subscriber of month j ranked right (ties: half)."""
    subscribers: np.ndarray
    others: np.ndarray
    squared_error: np.ndarray
    contacts: np.ndarray

    def roc_auc(self, weights: np.ndarray) -> float:
        """The pooled ROC AUC of the months taken `weights` times each (NaN without both classes)."""
        pairs = (weights @ self.subscribers) * (weights @ self.others)
        return float(weights @ self.right_pairs @ weights / pairs) if pairs else float("nan")

    def brier(self, weights: np.ndarray) -> float:
        return float(weights @ self.squared_error / (weights @ self.contacts))


def month_totals(target: np.ndarray, probability: np.ndarray, dates: np.ndarray) -> MonthTotals:
    groups = month_groups(dates)
    month_of = np.empty(len(target), dtype=int)
    for index, rows in enumerate(groups):
        month_of[rows] = index
    positive = target.astype(bool)
    scores, months = probability[positive], month_of[positive]
    right_pairs = np.empty((len(groups), len(groups)))
    for j, rows in enumerate(groups):
        negatives = np.sort(probability[rows][~positive[rows]])
        below = np.searchsorted(negatives, scores, side="left")
        tied = np.searchsorted(negatives, scores, side="right") - below
        right_pairs[:, j] = np.bincount(months, below + 0.5 * tied, minlength=len(groups))
    subscribers = np.bincount(months, minlength=len(groups))
    contacts = np.array([len(rows) for rows in groups])
    errors = (probability - positive) ** 2
    squared_error = np.array([errors[rows].sum() for rows in groups])
    return MonthTotals(right_pairs, subscribers, contacts - subscribers, squared_error, contacts)


def month_bootstrap(target: np.ndarray, probability: np.ndarray, dates: np.ndarray) -> dict:
    """95% intervals of the pooled ROC AUC and the Brier score over resamples of whole months."""
    totals = month_totals(target, probability, dates)
    count = len(totals.contacts)
    aucs, briers = [], []
    for drawn in month_draws(count):
        weights = np.bincount(drawn, minlength=count)
        aucs.append(totals.roc_auc(weights))
        briers.append(totals.brier(weights))
    return {
        "method": METHOD,
        "level": LEVEL,
        "resamples": RESAMPLES,
        "seed": SEED,
        "months": count,
        "roc_auc": list(percentile_interval(aucs)),
        "brier": list(percentile_interval(briers)),
    }


def dominant_months(dates: np.ndarray) -> tuple[list[str], float]:
    """The months of `dates` that dominate them (STEADY_RULE), and the median month's contacts."""
    months, contacts = np.unique(dates.astype("datetime64[M]"), return_counts=True)
    median = float(np.median(contacts))
    return [str(month) for month in months[contacts > DOMINANCE * median]], median


def steady_months(target: np.ndarray, probability: np.ndarray, dates: np.ndarray) -> dict:
    """The holdout's figures without its dominant months, with their intervals (None when the steady
    months lack subscribers or non-subscribers)."""
    dominant, median = dominant_months(dates)
    months = dates.astype("datetime64[M]").astype(str)
    steady = ~np.isin(months, dominant)
    judged = len(np.unique(target[steady])) == 2
    return {
        "rule": STEADY_RULE,
        "dominance": DOMINANCE,
        "median_month_contacts": median,
        "dominant": [
            {
                "month": month,
                "contacts": int((months == month).sum()),
                "share": float((months == month).mean()),
            }
            for month in dominant
        ],
        "months": sorted(set(months[steady].tolist())),
        "contacts": int(steady.sum()),
        "metrics": holdout_metrics(target[steady], probability[steady], dates[steady]) if judged else None,
        "intervals": month_bootstrap(target[steady], probability[steady], dates[steady]) if judged else None,
    }


def uncertainty_figures(target: np.ndarray, probability: np.ndarray, dates: np.ndarray) -> dict:
    """What the metadata records beside the holdout's `metrics`: their `intervals`, and the `steady`
    months' figures."""
    return {
        "intervals": month_bootstrap(target, probability, dates),
        "steady": steady_months(target, probability, dates),
    }
