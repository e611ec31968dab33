"""Bounded staleness for the live socio_eco read: a per-process TTL cache around any repository.

`cachetools.TTLCache` does the expiry and the size bound (a well-kept library rather than a
hand-rolled clock-and-dict); a lock makes it safe under threaded gunicorn workers. Keys are the
as-of cutoff (the latest usable row date: the day before the contact, minus the model's lag),
since every contact with the same cutoff selects the same row: one read per day and per TTL
instead of one per request. Answers of "no row" are cached too; failures
(IndicatorsUnavailable) are not, so a database that comes back is used at once.
"""

import threading
import time
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from cachetools import TTLCache

from chaos.domain.as_of import DEFAULT_LAG_DAYS, cutoff
from chaos.domain.repositories import SocioEcoRepository
from chaos.domain.socio_eco import SocioEcoIndicators

_KNOWN_RANGE = "known_range"


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

    def as_of(self, contact_date: date, lag_days: int = DEFAULT_LAG_DAYS) -> SocioEcoIndicators | None:
        key = cutoff(contact_date, lag_days)
        hit, indicators = self._get(key)
        if not hit:
            indicators = self._put(key, self.inner.as_of(contact_date, lag_days))
        return indicators

    def as_of_many(
        self, contact_dates: Iterable[date], lag_days: int = DEFAULT_LAG_DAYS
    ) -> dict[date, SocioEcoIndicators | None]:
        key_of = {d: cutoff(d, lag_days) for d in set(contact_dates)}
        by_key = {}
        for key in set(key_of.values()):
            hit, indicators = self._get(key)
            if hit:
                by_key[key] = indicators
        missing = [d for d, key in key_of.items() if key not in by_key]
        for contact_date, indicators in (self.inner.as_of_many(missing, lag_days) if missing else {}).items():
            by_key[key_of[contact_date]] = self._put(key_of[contact_date], indicators)
        return {d: by_key[key] for d, key in key_of.items()}

    def known_range(self) -> tuple[date, date] | None:
        hit, found = self._get(_KNOWN_RANGE)
        return found if hit else self._put(_KNOWN_RANGE, self.inner.known_range())

    def _get(self, key) -> tuple[bool, Any]:
        try:
            with self._lock:
                value = self._cache[key]  # a quarter of `get`'s cost, a KeyError if absent or expired
        except KeyError:
            self._on_lookup(False)
            return False, None
        self._on_lookup(True)
        return True, value

    def _put(self, key, value):
        with self._lock:
            self._cache[key] = value
        return value
