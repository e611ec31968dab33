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
        (date(2008, 4, 30), None),  # before the first month
        (date(2008, 5, 1), MAY),  # the month's own row counts: dated at the end of that month
        (date(2008, 5, 31), MAY),
        (date(2008, 6, 15), MAY),  # unknown month: fall back to the last complete one
        (date(2008, 7, 1), JULY),
        (date(2008, 8, 20), JULY),  # a partially known month is not complete
        (date(2030, 1, 1), JULY),  # after the last month
    ],
)
def test_pick(contact, expected):
    assert as_of.pick(ROWS, contact) == expected


@pytest.mark.parametrize(
    ("contact", "expected"),
    [
        (date(2008, 2, 1), date(2008, 2, 29)),
        (date(2009, 2, 28), date(2009, 2, 28)),
        (date(2010, 12, 5), date(2010, 12, 31)),
    ],
)
def test_cutoff_is_the_end_of_the_month(contact, expected):
    assert as_of.cutoff(contact) == expected


def test_vectorised_form_agrees_with_the_rule_day_by_day():
    days = np.arange(np.datetime64("2008-03-01"), np.datetime64("2009-01-01"))
    indices = as_of.pick_indices(ROWS, days)
    for day, index in zip(days.tolist(), indices.tolist(), strict=True):
        assert (ROWS[index] if index >= 0 else None) == as_of.pick(ROWS, day)


def test_vectorised_form_with_no_complete_row():
    assert as_of.pick_indices([JUNE_UNKNOWN], np.array(["2008-07-01"], dtype="datetime64[D]")).tolist() == [
        -1
    ]
