"""Bounded staleness for the live socio_eco read: a per-process TTL cache around any repository.

`cachetools.TTLCache` does the expiry and the size bound (a well-kept library rather than a
hand-rolled clock-and-dict); a lock makes it safe under threaded gunicorn workers. Keys are the
as-of cutoff (the month end), since every day of a month selects the same row: one read per
month and per TTL instead of one per request. Answers of "no row" are cached too; failures
(IndicatorsUnavailable) are not, so a database that comes back is used at once.
"""

import threading
import time
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from cachetools import TTLCache

from chaos.domain.as_of import cutoff
from chaos.domain.repositories import SocioEcoRepository
from chaos.domain.socio_eco import SocioEcoIndicators

_KNOWN_RANGE = "known_range"
_MISSING = object()


class CachedSocioEcoRepository(SocioEcoRepository):
    def __init__(
        self,
        inner: SocioEcoRepository,
        ttl_seconds: float,
        maxsize: int = 1024,
        timer: Callable[[], float] = time.monotonic,
        on_lookup: Callable[[bool], None] = lambda hit: None,
    ):
        if ttl_seconds <= 0:
            raise ValueError("a cache needs a positive TTL; use the inner repository for live reads")
        self.inner = inner
        self._cache: TTLCache = TTLCache(maxsize=maxsize, ttl=ttl_seconds, timer=timer)
        self._lock = threading.Lock()
        self._on_lookup = on_lookup  # told hit (True) or miss (False), for the metrics

    def as_of(self, contact_date: date) -> SocioEcoIndicators | None:
        key = cutoff(contact_date)
        hit, indicators = self._get(key)
        if not hit:
            indicators = self._put(key, self.inner.as_of(contact_date))
        return indicators

    def as_of_many(self, contact_dates: Iterable[date]) -> dict[date, SocioEcoIndicators | None]:
        dates = set(contact_dates)
        by_cutoff = {}
        for key in {cutoff(d) for d in dates}:
            hit, indicators = self._get(key)
            if hit:
                by_cutoff[key] = indicators
        missing = [d for d in dates if cutoff(d) not in by_cutoff]
        for contact_date, indicators in (self.inner.as_of_many(missing) if missing else {}).items():
            by_cutoff[cutoff(contact_date)] = self._put(cutoff(contact_date), indicators)
        return {d: by_cutoff[cutoff(d)] for d in dates}

    def known_range(self) -> tuple[date, date] | None:
        hit, found = self._get(_KNOWN_RANGE)
        return found if hit else self._put(_KNOWN_RANGE, self.inner.known_range())

    def _get(self, key) -> tuple[bool, Any]:
        with self._lock:
            value = self._cache.get(key, _MISSING)
        self._on_lookup(value is not _MISSING)
        return (False, None) if value is _MISSING else (True, value)

    def _put(self, key, value):
        with self._lock:
            self._cache[key] = value
        return value
