"""The walk-forward backtest: the honest "going forward" figure.

For every month of the holdout period (from the first month starting inside it), fit the family
on every contact before that month, and score the month as served (calibrated day by day on the
outcomes before each day). The pooled AUC of those months, with a month-resampled 95% interval,
is what a model retrained monthly would have shown.
"""

from collections.abc import Callable

import numpy as np
from sklearn.metrics import brier_score_loss, roc_auc_score

from chaos.domain.calibration import DEFAULT_POLICY, CalibrationPolicy
from chaos.domain.holdout import HOLDOUT_SHARE, holdout_start
from chaos.infrastructure.models.compiled_logistic import FAMILY
from chaos.infrastructure.training.evaluation import serve
from chaos.infrastructure.training.pipelines import logistic
from chaos.infrastructure.training.resampling import month_interval
from chaos.infrastructure.training.training_data import TrainingData


def walk_forward(
    data: TrainingData,
    progress: Callable[[str], None] = lambda _: None,
    policy: CalibrationPolicy = DEFAULT_POLICY,
) -> dict:
    """Pending contacts are neither fitted on nor scored against: their outcome is unknown."""
    months = data.dates.astype("datetime64[M]")
    first = data.dates[holdout_start(len(data.target), HOLDOUT_SHARE)]
    tested = [month for month in np.unique(months) if month.astype("datetime64[D]") >= first]
    if not tested:
        raise ValueError("the holdout period holds no whole month to backtest")
    probabilities, months_rows, per_month = [], [], []
    for month in tested:
        before = (months < month) & data.resolved
        in_month = np.flatnonzero(months == month)
        if len(np.unique(data.target[before])) < 2:
            continue
        inside = in_month[data.resolved[in_month]]
        progress(f"backtest {month}: fitting on {int(before.sum())} contacts, scoring {len(inside)}")
        pipeline = logistic().fit(data.features[before], data.target[before])
        known = slice(None, in_month[-1] + 1)
        log_odds = pipeline.decision_function(data.features[known])
        start = int(in_month[0])
        served = serve(data.dates[known], log_odds, data.target[known], data.resolved[known], start, policy)
        judged = served.probability[data.resolved[in_month]]
        probabilities.append(judged)
        months_rows.append(inside)
        target = data.target[inside]
        per_month.append(
            {
                "month": str(month),
                "contacts": len(inside),
                "observed": float(target.mean()),
                "predicted": float(judged.mean()),
                "roc_auc": float(roc_auc_score(target, judged)) if 0 < target.sum() < len(target) else None,
            }
        )
    probability, rows = np.concatenate(probabilities), np.concatenate(months_rows)
    target, dates = data.target[rows], data.dates[rows]
    low, high = month_interval(lambda drawn: roc_auc_score(target[drawn], probability[drawn]), dates)
    return {
        "family": FAMILY,
        "months": per_month,
        "contacts": len(rows),
        "pooled_roc_auc": float(roc_auc_score(target, probability)),
        "pooled_roc_auc_interval": [low, high],
        "pooled_brier": float(brier_score_loss(target, probability)),
    }
