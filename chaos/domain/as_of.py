"""The point-in-time as-of rule, the single definition shared by training and serving.

For a contact on day d, use the most recent socio_eco row whose three indicators are all known
and which is dated strictly before d, minus an optional publication lag: a value nobody could know
when dialling is never used. `cutoff` and `pick` are the rule; `pick_indices` is the same rule
vectorised for training, and the SQL repository expresses it as a query built on `cutoff` (a test
proves all of them agree).

The lag (days after a row's date before it may be used) is chosen at training time and recorded
in the model, so serving applies the value the model was trained with.
"""

import functools
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

import numpy as np

from chaos.domain.socio_eco import SocioEcoIndicators

DEFAULT_LAG_DAYS = 0


def checked_lag(lag_days: int) -> int:
    """`lag_days` if it is a valid publication lag (a whole, non-negative number of days)."""
    if isinstance(lag_days, bool) or not isinstance(lag_days, int) or lag_days < 0:
        raise ValueError(f"a publication lag is a whole number of days >= 0, not {lag_days!r}")
    return lag_days


@functools.lru_cache(maxsize=4096)
def cutoff(contact_date: date, lag_days: int = DEFAULT_LAG_DAYS) -> date:
    """The latest date a usable row may carry: the day before the contact, minus the lag (kept for
    the days asked lately: every scored contact asks for its day's).

    Within the lag of the calendar's first day there is no earlier day: the first day itself is
    returned, which no row (dated at a month end) can carry, so nothing is picked."""
    days = 1 + checked_lag(lag_days)
    return date.min if contact_date.toordinal() <= days else contact_date - timedelta(days=days)


def earliest_contact(first_complete: date, lag_days: int = DEFAULT_LAG_DAYS) -> date:
    """The first contact day the rule can serve when the oldest complete row is `first_complete`."""
    return first_complete + timedelta(days=1 + checked_lag(lag_days))


def pick(
    rows: Iterable[SocioEcoIndicators], contact_date: date, lag_days: int = DEFAULT_LAG_DAYS
) -> SocioEcoIndicators | None:
    """The row the rule selects among `rows` (any order), or None when none qualifies."""
    limit = cutoff(contact_date, lag_days)
    eligible = [row for row in rows if row.is_complete and row.date <= limit]
    return max(eligible, key=lambda row: row.date, default=None)


def pick_indices(
    rows: Sequence[SocioEcoIndicators], contact_dates: np.ndarray, lag_days: int = DEFAULT_LAG_DAYS
) -> np.ndarray:
    """Vectorised `pick` for training frames: the index in `rows` chosen for each date, -1 for none.

    `contact_dates` is a numpy datetime64[D] array.
    """
    order = [i for i in sorted(range(len(rows)), key=lambda i: rows[i].date) if rows[i].is_complete]
    known = np.array([rows[i].date for i in order], dtype="datetime64[D]")
    limits = contact_dates.astype("datetime64[D]") - np.timedelta64(1 + checked_lag(lag_days), "D")
    position = np.searchsorted(known, limits, side="right")
    lookup = np.array([-1, *order], dtype=np.int64)
    return lookup[position]
