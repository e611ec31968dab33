"""How old the indicators behind a score may be: beyond a limit, refuse rather than score silently.

The as-of rule always finds the latest complete month before the contact, however old; if the
`socio_eco` table stops being refreshed, every score would quietly use an outdated economy. The
limit is counted in days from the picked row's date to the contact date.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import overload

import numpy as np

from chaos.domain.socio_eco import SocioEcoIndicators

DEFAULT_MAX_AGE_DAYS = 62
"""About two months: a month's row is normally usable the day after its month ends."""


@dataclass(frozen=True, slots=True)
class Staleness:
    contact_date: date
    socio_eco_date: date

    @property
    def age_days(self) -> int:
        return age_days(self.socio_eco_date, self.contact_date)


def age_days(socio_eco_date: date, on: date) -> int:
    """Days from a row's date to `on`."""
    return (on - socio_eco_date).days


@overload
def too_old(age: int, max_age_days: int) -> bool: ...


@overload
def too_old(age: np.ndarray, max_age_days: int) -> np.ndarray: ...


def too_old(age: int | np.ndarray, max_age_days: int) -> bool | np.ndarray:
    """The limit itself is still served; one day more is refused (one age, or an array of them)."""
    return age > max_age_days


class StaleIndicators(Exception):
    """Rows (by index) whose picked indicators are older than `max_age_days`; `newest` is the newest
    complete month the store knows (None when it knows none), which says what is missing."""

    def __init__(self, stale: dict[int, Staleness], max_age_days: int, newest: date | None):
        self.stale = stale
        self.max_age_days = max_age_days
        self.newest = newest
        first = stale[min(stale)]
        more = f" (and {len(stale) - 1} more row(s))" if len(stale) > 1 else ""
        super().__init__(
            f"the socio-economic indicators for {first.contact_date} are dated {first.socio_eco_date}, "
            f"{first.age_days} days earlier{more}; the limit is {max_age_days} days and the newest "
            f"complete month is {newest}"
        )


def stale_rows(
    picked: Mapping[int, tuple[date, SocioEcoIndicators]], max_age_days: int | None
) -> dict[int, Staleness]:
    """The rows (index -> (contact date, picked row)) whose indicators are beyond the limit; None
    disables the limit."""
    if max_age_days is None:
        return {}
    return {
        index: stale
        for index, (contact_date, row) in picked.items()
        if (stale := _stale(contact_date, row, max_age_days)) is not None
    }


def check(
    contact_date: date,
    picked: SocioEcoIndicators,
    max_age_days: int | None,
    newest: Callable[[], date | None],
) -> None:
    """Raise StaleIndicators when the row picked for this contact is beyond the limit (one contact: a
    list's rows are judged together by `stale_rows`).

    `newest` is only called when it is (it may cost a read); None disables the check."""
    if max_age_days is not None and (stale := _stale(contact_date, picked, max_age_days)) is not None:
        raise StaleIndicators({0: stale}, max_age_days, newest())


def _stale(contact_date: date, picked: SocioEcoIndicators, max_age_days: int) -> Staleness | None:
    """The row picked for a contact, judged against the limit: what is stale about it, or None."""
    if too_old(age_days(picked.date, contact_date), max_age_days):
        return Staleness(contact_date, picked.date)
    return None
