"""Whether a stored calibration moved beyond its own history: the band from the median daily move,
the history of fresh days only, a held day keeping its flag, and too little history to judge."""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from chaos.domain.calibration import Calibration, held
from chaos.domain.calibration_moves import MIN_MOVES, MOVE_FACTOR, MOVE_WINDOW_DAYS, flag_moves, move_ratios

DAY = date(2010, 3, 15)
BASE = Calibration(0.5, 7, None, None, 100, 0.2, DAY - timedelta(days=1), slope=0.8, offset=-0.1)


def history(days: int = MOVE_WINDOW_DAYS + 1, step: float = 0.01) -> dict[date, Calibration]:
    """Fresh daily calibrations before DAY whose shift, offset and slope each move by ±`step` a day."""
    found = {}
    for back in range(days, 0, -1):
        sign = 1 if back % 2 else -1
        found[DAY - timedelta(days=back)] = replace(
            BASE,
            shift=BASE.shift + sign * step,
            offset=BASE.offset + sign * step,
            slope=BASE.slope - sign * step,
        )
    return found


def test_a_move_like_the_usual_ones_is_not_flagged_and_one_far_beyond_is():
    past = history()
    yesterday = past[DAY - timedelta(days=1)]
    usual = replace(yesterday, shift=yesterday.shift + 0.02)
    assert flag_moves(past, {DAY: usual})[DAY].moved is False
    jump = replace(yesterday, slope=yesterday.slope + 0.02 * (MOVE_FACTOR + 1))
    assert flag_moves(past, {DAY: jump})[DAY].moved is True
    assert move_ratios(DAY, past | {DAY: jump})["slope"] == pytest.approx(MOVE_FACTOR + 1)


def test_each_day_of_a_run_is_judged_against_the_days_before_it_including_the_run():
    past = history()
    yesterday = past[DAY - timedelta(days=1)]
    jump = replace(yesterday, offset=yesterday.offset + 1.0)
    after = replace(jump, offset=jump.offset + 0.01)
    flagged = flag_moves(past, {DAY: jump, DAY + timedelta(days=1): after})
    assert (flagged[DAY].moved, flagged[DAY + timedelta(days=1)].moved) == (True, False)


def test_a_stale_day_holding_the_previous_one_keeps_its_flag():
    past = history()
    jump = replace(past[DAY - timedelta(days=1)], shift=3.0)
    later = DAY + timedelta(days=1)
    flagged = flag_moves(past, {DAY: jump, later: held(jump, later)})
    assert flagged[later].moved is True and flagged[later].stale
    assert flagged[later] == held(flagged[DAY], later)


def test_stale_days_are_no_history_and_too_little_history_judges_nothing():
    past = history()
    thin = {
        day: replace(found, stale=True) if day < DAY - timedelta(days=MIN_MOVES - 2) else found
        for day, found in past.items()
    }
    yesterday = past[DAY - timedelta(days=1)]
    assert flag_moves(thin, {DAY: replace(yesterday, shift=9.0)})[DAY].moved is None
    assert flag_moves({}, {DAY: BASE})[DAY].moved is None
    assert flag_moves(history(days=MIN_MOVES), {DAY: yesterday})[DAY].moved is None


def test_a_calibration_that_never_moved_flags_any_move():
    flat = {DAY - timedelta(days=back): BASE for back in range(1, MOVE_WINDOW_DAYS + 2)}
    assert flag_moves(flat, {DAY: BASE})[DAY].moved is False
    assert flag_moves(flat, {DAY: replace(BASE, slope=0.81)})[DAY].moved is True
