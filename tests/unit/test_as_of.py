from datetime import date

import numpy as np
import pytest

from chaos.domain import as_of
from chaos.domain.socio_eco import SocioEcoIndicators

MAY = SocioEcoIndicators(date(2008, 5, 31), 1.1, 93.994, -36.4)
JUNE_UNKNOWN = SocioEcoIndicators(date(2008, 6, 30), None, None, None)
JULY = SocioEcoIndicators(date(2008, 7, 31), 1.4, 93.918, -42.7)
AUGUST_PARTIAL = SocioEcoIndicators(date(2008, 8, 31), 1.4, None, -36.1)
ROWS = [JULY, MAY, JUNE_UNKNOWN, AUGUST_PARTIAL]


@pytest.mark.parametrize(
    ("contact", "expected"),
    [
        (date(2008, 5, 15), None),  # before any row
        (date(2008, 5, 31), None),  # a row is not usable on its own date: it is the month's end
        (date(2008, 6, 1), MAY),  # first day after the row
        (date(2008, 7, 15), MAY),  # unknown month: fall back to the last complete one
        (date(2008, 7, 31), MAY),
        (date(2008, 8, 1), JULY),
        (date(2008, 9, 20), JULY),  # a partially known month is not complete
        (date(2030, 1, 1), JULY),  # after the last month
    ],
)
def test_pick(contact, expected):
    assert as_of.pick(ROWS, contact) == expected


@pytest.mark.parametrize(
    ("contact", "lag", "expected"),
    [
        (date(2008, 6, 1), 0, date(2008, 5, 31)),
        (date(2008, 3, 1), 0, date(2008, 2, 29)),  # leap day
        (date(2009, 3, 1), 0, date(2009, 2, 28)),
        (date(2008, 1, 1), 0, date(2007, 12, 31)),
        (date(2008, 6, 15), 15, date(2008, 5, 30)),
        (date(2008, 6, 15), 14, date(2008, 5, 31)),
    ],
)
def test_cutoff_is_the_day_before_minus_the_lag(contact, lag, expected):
    assert as_of.cutoff(contact, lag) == expected


def test_the_first_days_of_the_calendar_have_no_row():
    assert as_of.cutoff(date.min) == as_of.cutoff(date(1, 1, 5), lag_days=10) == date.min
    assert as_of.pick(ROWS, date.min) is None


def test_a_lag_delays_when_a_row_becomes_usable():
    assert as_of.pick(ROWS, date(2008, 6, 10), lag_days=10) is None
    assert as_of.pick(ROWS, date(2008, 6, 11), lag_days=10) == MAY


@pytest.mark.parametrize("lag", [-1, 1.5, True, "3"])
def test_a_lag_is_a_whole_non_negative_number_of_days(lag):
    with pytest.raises(ValueError, match="publication lag"):
        as_of.cutoff(date(2008, 6, 1), lag)
    with pytest.raises(ValueError, match="publication lag"):
        as_of.pick_indices(ROWS, np.array(["2008-07-01"], dtype="datetime64[D]"), lag)


@pytest.mark.parametrize("lag", [0, 1, 30])
def test_vectorised_form_agrees_with_the_rule_day_by_day(lag):
    days = np.arange(np.datetime64("2008-03-01"), np.datetime64("2009-01-01"))
    indices = as_of.pick_indices(ROWS, days, lag)
    for day, index in zip(days.tolist(), indices.tolist(), strict=True):
        assert (ROWS[index] if index >= 0 else None) == as_of.pick(ROWS, day, lag)


def test_vectorised_form_with_no_complete_row():
    assert as_of.pick_indices([JUNE_UNKNOWN], np.array(["2008-07-01"], dtype="datetime64[D]")).tolist() == [
        -1
    ]
