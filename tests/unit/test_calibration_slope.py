"""The calibration slope, the model evaluation's and `chaos monitor`'s: the exact unpenalised
logistic regression of the outcome on the log-odds, equal to scikit-learn's fitted to its tightest
tolerance, and None wherever no finite fit exists."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from chaos.domain.calibration import logistic_fit
from chaos.domain.served_figures import calibration_slope


def drawn(seed: int, slope: float) -> tuple[np.ndarray, np.ndarray]:
    """Probabilities and outcomes drawn with the given slope on their log-odds."""
    rng = np.random.default_rng(seed)
    size = int(rng.integers(30, 3000))
    probability = rng.uniform(0.005, 0.995, size)
    log_odds = np.log(probability / (1 - probability))
    target = rng.uniform(size=size) < 1 / (1 + np.exp(-(rng.normal(0, 0.5) + slope * log_odds)))
    return target, probability


def scikit_learn(target: np.ndarray, probability: np.ndarray) -> LogisticRegression:
    """scikit-learn's unpenalised logistic regression (C infinite), to its tightest tolerance."""
    log_odds = np.log(probability / (1 - probability)).reshape(-1, 1)
    return LogisticRegression(C=np.inf, solver="newton-cholesky", tol=1e-12, max_iter=1000).fit(
        log_odds, target
    )


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("slope", [1.0, 0.6, 1.8, -0.4])
def test_the_fit_is_scikit_learns_unpenalised_logistic_regression(seed, slope):
    target, probability = drawn(seed, slope)
    expected = scikit_learn(target, probability)
    found = logistic_fit(np.log(probability / (1 - probability)), target)
    assert found is not None
    assert found[0] == pytest.approx(expected.intercept_[0], abs=1e-6)
    assert found[1] == pytest.approx(expected.coef_[0, 0], abs=1e-6)
    assert calibration_slope(target, probability) == pytest.approx(expected.coef_[0, 0], abs=1e-6)


def test_one_overlapping_pair_is_enough_for_a_finite_fit():
    probability = np.array([0.1, 0.2, 0.3, 0.6, 0.4, 0.8, 0.9])
    target = np.array([False, False, False, False, True, True, True])
    assert calibration_slope(target, probability) == pytest.approx(
        scikit_learn(target, probability).coef_[0, 0], abs=1e-6
    )


@pytest.mark.parametrize(
    ("target", "probability"),
    [
        ([False, False, False], [0.1, 0.2, 0.3]),  # one class
        ([True, True], [0.1, 0.9]),  # the other class alone
        ([False, True, False, True], [0.3, 0.3, 0.3, 0.3]),  # one probability: constant log-odds
        ([False, False, True, True], [0.1, 0.2, 0.3, 0.4]),  # separated
        ([True, True, False, False], [0.1, 0.2, 0.3, 0.4]),  # separated the other way round
        ([False, False, True, True], [0.1, 0.3, 0.3, 0.4]),  # touching at one value: no overlap
        ([False, True, True], [0.0, 1.0, 1.0]),  # certainties, separated once clipped
        ([], []),  # nothing
    ],
)
def test_no_finite_fit_gives_none(target, probability):
    assert calibration_slope(np.array(target, dtype=bool), np.array(probability, dtype=float)) is None


def test_a_log_odds_that_is_not_finite_gives_no_fit():
    x = np.array([-1.0, np.nan, 0.5, 1.0])
    assert logistic_fit(x, np.array([False, True, False, True])) is None
