"""The calibration slope `chaos monitor` reports: scikit-learn's unpenalised logistic regression of
the outcome on the served log-odds (the domain's CalibrationSlope). It needs the `train` extra:
a fit without scikit-learn (Newton's method, as the calibration's) reaches the exact optimum, which
differs from this solver's stopping point by up to about 1e-3, and the figures recorded so far are
this one's."""

import numpy as np
from sklearn.linear_model import LogisticRegression


def logistic_regression_slope(target: np.ndarray, probability: np.ndarray) -> float | None:
    if len(np.unique(target)) < 2:
        return None
    clipped = np.clip(probability, 1e-12, 1 - 1e-12)
    log_odds = np.log(clipped / (1 - clipped)).reshape(-1, 1)
    return float(LogisticRegression(C=np.inf).fit(log_odds, target).coef_[0, 0])
