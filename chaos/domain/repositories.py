"""Ports: what the domain needs from storage, implemented by infrastructure (and by fakes in tests)."""

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from chaos.domain.as_of import DEFAULT_LAG_DAYS
from chaos.domain.socio_eco import SocioEcoIndicators


class IndicatorsUnavailable(Exception):
    """The store could not be asked (database down, timeout): retry later, never guess a value."""


class SocioEcoRepository(ABC):
    """Reads the socio-economic indicators that the as-of rule selects for a contact date."""

    @abstractmethod
    def as_of(self, contact_date: date, lag_days: int = DEFAULT_LAG_DAYS) -> SocioEcoIndicators | None:
        """The row the as-of rule picks for `contact_date`, None if no complete row is old enough.
        `lag_days` is the publication lag of the model being served (as_of.cutoff).

        Raises IndicatorsUnavailable when the store cannot answer."""

    @abstractmethod
    def as_of_many(
        self, contact_dates: Iterable[date], lag_days: int = DEFAULT_LAG_DAYS
    ) -> dict[date, SocioEcoIndicators | None]:
        """`as_of` for many dates in one round trip (campaign batches)."""

    @abstractmethod
    def known_range(self) -> tuple[date, date] | None:
        """First and last dates having complete indicators, for error messages; None when empty."""


@dataclass(frozen=True, slots=True)
class PastContact:
    """A logged call with a resolved outcome: what calibration learns the recent level from."""

    date: date
    features: Mapping[str, object]
    """Every name of features.CUSTOMER_FEATURES (None = unknown)."""
    subscribed: bool


class ContactLog(ABC):
    """The call log (the export reconciled with the reported outcomes) as calibration and monitoring
    read it: resolved outcomes only, pending calls are unknown and never read. Raises
    IndicatorsUnavailable when the store cannot answer."""

    @abstractmethod
    def newest_resolved(self, until: date) -> date | None:
        """The date of the newest resolved outcome dated `until` or before; None when there is none."""

    @abstractmethod
    def resolved_between(self, first: date, last: date) -> Iterator[Sequence[PastContact]]:
        """Resolved contacts dated from `first` to `last` inclusive, oldest first, in bounded batches
        (a window may hold millions of calls)."""
