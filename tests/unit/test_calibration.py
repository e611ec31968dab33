"""The calibration rule alone: which window, which shift, and the fallbacks."""

from datetime import date, timedelta

import numpy as np
import pytest

from chaos.domain.calibration import MIN_CONTACTS, calibrate, intercept_shift, sigmoids, uncalibrated

DAY = date(2010, 3, 15)


def contacts(*groups: tuple[int, int, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(days before DAY, contacts, subscribed) groups → sorted dates, log-odds (all 0), outcomes."""
    dates, outcomes = [], []
    for days_before, count, subscribed in sorted(groups, key=lambda group: -group[0]):
        dates += [DAY - timedelta(days=days_before)] * count
        outcomes += [True] * subscribed + [False] * (count - subscribed)
    return np.array(dates, dtype="datetime64[D]"), np.zeros(len(dates)), np.array(outcomes)


def test_the_trailing_week_before_the_day_sets_the_level():
    dates, log_odds, outcomes = contacts((1, 20, 10), (7, 20, 2), (8, 100, 0), (0, 50, 50), (-1, 50, 50))
    calibration = calibrate(DAY, dates, log_odds, outcomes)
    assert (calibration.window_days, calibration.contacts, calibration.observed_rate) == (7, 40, 0.3)
    assert (calibration.since, calibration.until) == (DAY - timedelta(days=7), DAY - timedelta(days=1))
    assert calibration.shift == pytest.approx(np.log(0.3 / 0.7), abs=1e-12)


def test_a_quiet_week_takes_28_days_and_a_quiet_month_no_shift():
    dates, log_odds, outcomes = contacts((3, MIN_CONTACTS - 1, 5), (28, 1, 1), (29, 500, 500))
    wider = calibrate(DAY, dates, log_odds, outcomes)
    assert (wider.window_days, wider.contacts) == (28, MIN_CONTACTS)
    dates, log_odds, outcomes = contacts((3, 10, 5), (29, 500, 500))
    assert calibrate(DAY, dates, log_odds, outcomes) == uncalibrated(10)
    assert uncalibrated().probability(0.0) == 0.5


@pytest.mark.parametrize("rate", [0.0, 1.0])
def test_a_window_where_nobody_or_everybody_subscribed_gets_a_finite_shift(rate):
    log_odds = np.linspace(-2, 2, 40)
    shift = intercept_shift(log_odds, rate, 40)
    expected = 0.5 / 40 if rate == 0 else 1 - 0.5 / 40
    assert np.isfinite(shift)
    assert np.mean(sigmoids(log_odds + shift)) == pytest.approx(expected, abs=1e-12)


def test_the_shift_matches_the_mean_prediction_to_the_rate():
    log_odds = np.random.default_rng(1).normal(-2, 1.5, 500)
    shift = intercept_shift(log_odds, 0.42, 500)
    assert np.mean(sigmoids(log_odds + shift)) == pytest.approx(0.42, abs=1e-12)
