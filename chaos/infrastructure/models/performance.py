"""How well the served scores did once their outcomes are known: the figures of one day.

The day's own contacts give the level figures: Brier, the Brier of a constant at the day's observed
rate (what knowing only the rate would score) and the skill between them, calibration-in-the-large
(observed rate minus mean prediction: the level is right at 0) and the calibration slope (a logistic
regression of the outcome on the served log-odds: 1 when the spread is right, below 1 when scores
are too extreme). Ranking needs more pairs than a day has, so the AUCs use the trailing
RANKING_WINDOW_DAYS days: pooled, and within a day only (pairs contacted the same day, which the
day-to-day level cannot inflate, as the model report's within-month AUC).
"""

from datetime import date

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, roc_auc_score

from chaos.domain.performance import DayPerformance
from chaos.infrastructure.models.evaluation import within_group_auc

RANKING_WINDOW_DAYS = 7


def day_performance(
    version: str, day: date, target: np.ndarray, probability: np.ndarray, dates: np.ndarray
) -> DayPerformance:
    """The figures of `day` for model `version`; the arrays cover at least the ranking window ending
    that day, and `day` has contacts."""
    today = dates == np.datetime64(day, "D")
    window = (dates > np.datetime64(day, "D") - RANKING_WINDOW_DAYS) & (dates <= np.datetime64(day, "D"))
    y, p = target[today], probability[today]
    rate = float(y.mean())
    brier = float(brier_score_loss(y, p))
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
        calibration_slope=_slope(y, p),
        roc_auc=_auc(target[window], probability[window]),
        within_day_auc=within_group_auc(target[window], probability[window], dates[window]),
    )


def _auc(target: np.ndarray, probability: np.ndarray) -> float | None:
    return float(roc_auc_score(target, probability)) if len(np.unique(target)) == 2 else None


def _slope(target: np.ndarray, probability: np.ndarray) -> float | None:
    if len(np.unique(target)) < 2:
        return None
    clipped = np.clip(probability, 1e-12, 1 - 1e-12)
    log_odds = np.log(clipped / (1 - clipped)).reshape(-1, 1)
    return float(LogisticRegression(C=np.inf).fit(log_odds, target).coef_[0, 0])
