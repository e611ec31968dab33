"""The calibration rule alone: which window, which shift, the reporting lag, pending outcomes, the
stale flag and the fallbacks."""

from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pytest

from chaos.domain.calibration import (
    DEFAULT_POLICY,
    CalibrationPolicy,
    Outcomes,
    SlopeSource,
    calibrate,
    calibrate_days,
    intercept_shift,
    logistic_fit,
    resolved_outcomes,
    sigmoids,
    uncalibrated,
)
from chaos.domain.outcome import Outcome

DAY = date(2010, 3, 15)
MIN = DEFAULT_POLICY.min_contacts


def contacts(*groups: tuple[int, int, int], pending: int = 0):
    """(days before DAY, contacts, subscribed) groups → the resolved outcomes calibration reads;
    `pending` more contacts on each group's day, pending (unknown)."""
    dates, statuses = [], []
    for days_before, count, subscribed in sorted(groups, key=lambda group: -group[0]):
        dates += [DAY - timedelta(days=days_before)] * (count + pending)
        statuses += [Outcome.SUBSCRIBED] * subscribed + [Outcome.REFUSED] * (count - subscribed)
        statuses += [Outcome.PENDING] * pending
    labels = [status.subscribed for status in statuses]
    return resolved_outcomes(
        np.array(dates, dtype="datetime64[D]"),
        np.zeros(len(dates)),
        np.array([label is True for label in labels], dtype=bool),
        np.array([label is not None for label in labels], dtype=bool),
    )


def test_the_trailing_week_before_the_day_sets_the_level():
    outcomes = contacts((1, 20, 10), (7, 20, 2), (8, 100, 0), (0, 50, 50), (-1, 50, 50))
    calibration = calibrate(DAY, outcomes)
    assert (calibration.window_days, calibration.contacts, calibration.observed_rate) == (7, 40, 0.3)
    assert (calibration.since, calibration.until) == (DAY - timedelta(days=7), DAY - timedelta(days=1))
    assert calibration.shift == pytest.approx(np.log(0.3 / 0.7), abs=1e-12)
    assert (calibration.stale, calibration.newest_outcome, calibration.outcomes_age_days) == (
        False,
        DAY - timedelta(days=1),
        1,
    )


def test_pending_calls_are_neither_counted_nor_read_as_refusals():
    with_pending = calibrate(DAY, contacts((1, 20, 10), (7, 20, 2), pending=25))
    without = calibrate(DAY, contacts((1, 20, 10), (7, 20, 2)))
    assert with_pending == without
    assert (with_pending.contacts, with_pending.observed_rate) == (40, 0.3)


def test_the_reporting_lag_moves_the_windows_back():
    outcomes = contacts((1, 40, 40), (4, 40, 0), (9, 40, 20))
    lagged = calibrate(DAY, outcomes, CalibrationPolicy(reporting_lag_days=3))
    assert (lagged.until, lagged.window_days, lagged.contacts, lagged.observed_rate) == (
        DAY - timedelta(days=4),
        7,
        80,
        0.25,
    )
    assert not lagged.stale


def test_a_quiet_week_takes_28_days():
    wider = calibrate(DAY, contacts((3, MIN - 1, 5), (28, 1, 1), (29, 500, 500)))
    assert (wider.window_days, wider.contacts, wider.stale) == (28, MIN, False)


def test_too_few_outcomes_in_the_nominal_windows_is_the_last_fresh_calibration_flagged():
    outcomes = contacts((3, 10, 5), (29, 500, 100))
    yesterday = calibrate(DAY - timedelta(days=1), outcomes)  # its 28 days still hold the 500
    assert not yesterday.stale and (yesterday.window_days, yesterday.contacts) == (28, 510)
    found = calibrate(DAY, outcomes)  # its own 28 days hold 10
    assert found == replace(yesterday, stale=True, outcomes_age_days=3)
    assert (found.until, found.newest_outcome) == (DAY - timedelta(days=2), DAY - timedelta(days=3))


def test_outcomes_that_stopped_arriving_make_a_stale_calibration_once_the_limit_passes():
    outcomes = contacts((15, 40, 10), (16, 40, 10))
    policy = CalibrationPolicy(max_age_days=14)
    assert not calibrate(DAY - timedelta(days=1), outcomes, policy).stale
    stale = calibrate(DAY, outcomes, policy)
    assert (stale.stale, stale.outcomes_age_days, stale.window_days) == (True, 15, 28)


def test_a_stale_calibration_stands_still_while_no_outcome_arrives():
    outcomes = spread_out(days=120, per_day=20)  # up to the day before DAY, then nothing
    policy = CalibrationPolicy(max_age_days=14)
    days = [DAY + timedelta(days=offset) for offset in range(75)]
    served = calibrate_days(days, outcomes, policy)
    fresh = [day for day in days if not served[day].stale]
    stale = [day for day in days if served[day].stale]
    assert fresh == days[:14] and stale == days[14:]
    last_fresh = served[fresh[-1]]
    assert last_fresh.slope != 1.0 and last_fresh.window_days == 28  # a level and a slope were fitted
    for day in stale:
        assert served[day] == replace(last_fresh, stale=True, outcomes_age_days=(day - DAY).days + 1)
        assert served[day].probability(0.7) == last_fresh.probability(0.7)


def test_the_days_stale_from_the_start_are_no_shift_with_the_contacts_their_windows_hold():
    outcomes = contacts((3, 10, 5), (40, 500, 100))  # the 500 are past every window of any day since
    for offset in range(0, 30, 7):
        day = DAY + timedelta(days=offset)
        found = calibrate(day, outcomes)
        assert found == uncalibrated(10 if offset < 25 else 0, DAY - timedelta(days=3), day)


def test_no_usable_window_at_all_is_no_shift_and_says_stale():
    outcomes = contacts((3, 10, 5))
    assert calibrate(DAY, outcomes) == uncalibrated(10, DAY - timedelta(days=3), DAY)
    assert calibrate(DAY, contacts()) == uncalibrated()
    assert uncalibrated().stale and uncalibrated().probability(0.0) == 0.5


@pytest.mark.parametrize(
    ("values", "key"),
    [
        ({"reporting_lag_days": -1}, "reporting_lag_days"),
        ({"windows_days": ()}, "windows_days"),
        ({"windows_days": (28, 7)}, "windows_days"),
        ({"min_contacts": 0}, "min_contacts"),
        ({"reporting_lag_days": 14, "max_age_days": 14}, "max_age_days"),
    ],
)
def test_an_unusable_policy_is_refused_naming_the_value(values, key):
    with pytest.raises(ValueError, match=key):
        CalibrationPolicy(**values)


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


def spread_out(days: int, per_day: int, seed: int = 7):
    """Outcomes whose true log-odds are half the model's: the model's scores are twice too spread."""
    rng = np.random.default_rng(seed)
    dates = np.repeat(
        np.array([DAY - timedelta(days=d) for d in range(days, 0, -1)], dtype="datetime64[D]"), per_day
    )
    log_odds = rng.normal(-1.0, 2.0, len(dates))
    subscribed = rng.random(len(dates)) < sigmoids(0.5 * log_odds)
    return resolved_outcomes(dates, log_odds, subscribed, np.ones(len(dates), dtype=bool))


def test_the_slope_pulls_scores_that_are_too_spread_out_towards_the_level():
    outcomes = spread_out(days=60, per_day=100)
    found = calibrate(DAY, outcomes)
    assert found.slope == pytest.approx(0.5, abs=0.08)
    assert found.served_log_odds(2.0) == pytest.approx(found.offset + found.slope * (2.0 + found.shift))
    assert found.probability(2.0) == pytest.approx(float(sigmoids(np.array([found.served_log_odds(2.0)]))[0]))
    alone = calibrate(DAY, outcomes, CalibrationPolicy(slope_window_days=0))
    assert (alone.slope, alone.offset, alone.shift) == (1.0, 0.0, found.shift)


def test_the_slope_is_learned_only_from_outcomes_reported_by_the_day():
    outcomes = spread_out(days=60, per_day=100)
    later = resolved_outcomes(
        np.concatenate([outcomes.dates, np.full(5000, np.datetime64(DAY), dtype="datetime64[D]")]),
        np.concatenate([outcomes.log_odds, np.linspace(-3, 3, 5000)]),
        np.concatenate([outcomes.subscribed, np.linspace(-3, 3, 5000) > 0]),  # perfectly separated
        np.ones(len(outcomes.dates) + 5000, dtype=bool),
    )
    assert calibrate(DAY, later) == calibrate(DAY, outcomes)


def test_too_few_outcomes_or_a_single_class_fit_no_slope():
    few = calibrate(DAY, contacts((1, 40, 10), (9, 100, 30)))  # 140 < MIN_SLOPE_CONTACTS
    assert (few.slope, few.offset) == (1.0, 0.0)
    nobody = calibrate(DAY, contacts((1, 150, 0), (9, 150, 0)))
    assert (nobody.slope, nobody.offset) == (1.0, 0.0) and nobody.window_days == 7


def test_the_order_of_a_days_contacts_changes_no_bit_of_the_calibration():
    """A store returns a day's contacts in any order: the same outcomes give the same calibration,
    to the last bit (a held calibration is then served unchanged)."""
    rng = np.random.default_rng(5)
    dates = np.sort(np.datetime64("2025-01-01") + rng.integers(0, 60, 3000)).astype("datetime64[D]")
    log_odds = rng.normal(-2, 1, 3000)
    subscribed = rng.random(3000) < 1 / (1 + np.exp(-log_odds))
    shuffled = np.lexsort((rng.random(3000), dates))  # still by date, each day's contacts reordered
    day = date(2025, 3, 5)
    as_read = calibrate(day, Outcomes(dates, log_odds, subscribed))
    reread = calibrate(day, Outcomes(dates[shuffled], log_odds[shuffled], subscribed[shuffled]))
    assert reread == as_read


def test_the_slope_is_fitted_on_the_served_answers_when_the_record_holds_enough_of_them():
    outcomes = spread_out(days=60, per_day=100)
    model = calibrate(DAY, outcomes)
    assert model.slope_source is SlopeSource.MODEL
    # what was served: the same outcomes, answered with log-odds twice as spread (an overfitted model)
    served = Outcomes(outcomes.dates, 2 * outcomes.log_odds, outcomes.subscribed)
    found = calibrate_days([DAY], outcomes, DEFAULT_POLICY, served)[DAY]
    known = served.dates < np.datetime64(DAY)
    assert found.slope_source is SlopeSource.SERVED
    fitted = logistic_fit(served.log_odds[known], served.subscribed[known])
    assert (found.offset, found.slope) == pytest.approx(fitted, rel=0, abs=1e-12)
    assert found.slope == pytest.approx(model.slope / 2, rel=0.1)
    assert (found.shift, found.window_days) == (model.shift, model.window_days)  # the level: the call log's


def test_too_few_served_answers_leave_the_slope_to_the_model():
    outcomes = spread_out(days=60, per_day=100)
    few = Outcomes(outcomes.dates[-150:], outcomes.log_odds[-150:], outcomes.subscribed[-150:])
    assert calibrate_days([DAY], outcomes, DEFAULT_POLICY, few)[DAY] == calibrate(DAY, outcomes)


def test_outcomes_seven_days_late_leave_the_default_windows_holding_what_is_known():
    """The service's call log lacks the outcomes not reported yet: the default policy's 7-day window
    is then empty and the 28-day one holds the days reported; the evaluation's late-report scenario
    (`late_days`) serves exactly that."""
    everything = contacts((1, 40, 20), (5, 40, 20), (9, 40, 4), (20, 40, 4), (40, 100, 50))
    reported = contacts((9, 40, 4), (20, 40, 4), (40, 100, 50))
    served = calibrate(DAY, reported)
    assert (served.window_days, served.contacts, served.observed_rate) == (28, 80, 0.1)
    assert (served.until, served.newest_outcome, served.stale) == (
        DAY - timedelta(days=1),
        DAY - timedelta(days=9),
        False,
    )
    assert calibrate(DAY, replace(everything, late_days=7)) == served


def test_a_served_record_younger_than_the_slope_window_leaves_the_slope_to_the_model():
    outcomes = spread_out(days=60, per_day=100)
    recent = outcomes.dates >= np.datetime64(DAY - timedelta(days=20))  # 2,000 answers, 20 days
    young = Outcomes(outcomes.dates[recent], 2 * outcomes.log_odds[recent], outcomes.subscribed[recent])
    assert calibrate_days([DAY], outcomes, DEFAULT_POLICY, young)[DAY] == calibrate(DAY, outcomes)
