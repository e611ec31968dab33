"""Holdout metrics reported by `chaos train` and recorded in the artifact's metadata."""

import numpy as np
from sklearn.metrics import average_precision_score, brier_score_loss, log_loss, roc_auc_score


def holdout_metrics(target: np.ndarray, probability: np.ndarray) -> dict[str, float]:
    """Ranking (ROC AUC, PR AUC) and calibration (Brier, log loss) of predicted probabilities."""
    if len(np.unique(target)) < 2:
        raise ValueError("the holdout holds a single class: metrics need subscribers and non-subscribers")
    return {
        "roc_auc": float(roc_auc_score(target, probability)),
        "pr_auc": float(average_precision_score(target, probability)),
        "brier": float(brier_score_loss(target, probability)),
        "log_loss": float(log_loss(target, probability, labels=[False, True])),
    }
