"""Timing and failure counts of the live socio_eco reads, as a decorator around any repository."""

import time
from collections.abc import Callable, Iterable
from datetime import date
from typing import TypeVar

from chaos.domain.as_of import DEFAULT_LAG_DAYS
from chaos.domain.repositories import IndicatorsUnavailable, SocioEcoRepository
from chaos.domain.socio_eco import SocioEcoIndicators

T = TypeVar("T")

Observer = Callable[[str, float, bool], None]
"""Told each read's operation name, duration in seconds, and whether the store was unavailable."""


class MeasuredSocioEcoRepository(SocioEcoRepository):
    """Times every read of `inner` and reports the failures (then lets them through)."""

    def __init__(self, inner: SocioEcoRepository, observe: Observer):
        self.inner = inner
        self.observe = observe

    def as_of(self, contact_date: date, lag_days: int = DEFAULT_LAG_DAYS) -> SocioEcoIndicators | None:
        return self._measure("as_of", lambda: self.inner.as_of(contact_date, lag_days))

    def as_of_many(
        self, contact_dates: Iterable[date], lag_days: int = DEFAULT_LAG_DAYS
    ) -> dict[date, SocioEcoIndicators | None]:
        return self._measure("as_of_many", lambda: self.inner.as_of_many(contact_dates, lag_days))

    def known_range(self) -> tuple[date, date] | None:
        return self._measure("known_range", self.inner.known_range)

    def _measure(self, operation: str, read: Callable[[], T]) -> T:
        started = time.perf_counter()
        failed = False
        try:
            return read()
        except IndicatorsUnavailable:
            failed = True
            raise
        finally:
            self.observe(operation, time.perf_counter() - started, failed)
