"""The as-of rule, the single definition shared by training and serving.

For a contact on date d, use the most recent socio_eco row dated on or before the end of d's
month whose three indicators are all known. `cutoff` and `pick` are the rule; `pick_indices` is
the same rule vectorised for training, and the SQL repository expresses it as a query built on
`cutoff` (a test proves all of them agree).
"""

import calendar
from collections.abc import Iterable, Sequence
from datetime import date

import numpy as np

from chaos.domain.socio_eco import SocioEcoIndicators


def cutoff(contact_date: date) -> date:
    """The last day of the contact's month: rows dated later are not yet usable."""
    last_day = calendar.monthrange(contact_date.year, contact_date.month)[1]
    return contact_date.replace(day=last_day)


def pick(rows: Iterable[SocioEcoIndicators], contact_date: date) -> SocioEcoIndicators | None:
    """The row the rule selects among `rows` (any order), or None when none qualifies."""
    limit = cutoff(contact_date)
    eligible = [row for row in rows if row.is_complete and row.date <= limit]
    return max(eligible, key=lambda row: row.date, default=None)


def pick_indices(rows: Sequence[SocioEcoIndicators], contact_dates: np.ndarray) -> np.ndarray:
    """Vectorised `pick` for training frames: the index in `rows` chosen for each date, -1 for none.

    `contact_dates` is a numpy datetime64[D] array; the cutoff is computed as month ends in numpy.
    """
    order = [i for i in sorted(range(len(rows)), key=lambda i: rows[i].date) if rows[i].is_complete]
    known = np.array([rows[i].date for i in order], dtype="datetime64[D]")
    month_end = (contact_dates.astype("datetime64[M]") + 1).astype("datetime64[D]") - 1
    position = np.searchsorted(known, month_end, side="right")
    lookup = np.array([-1, *order], dtype=np.int64)
    return lookup[position]
