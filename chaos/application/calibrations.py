"""The calibration serving uses: computed from the live call log, cached with a bounded TTL.

A day's calibration only changes when outcomes of its trailing window are added or corrected,
so each worker keeps it per (model version, day) for `calibration.cache_ttl_seconds` (an hour by
default, at most a day; a new day is a new key, so every day gets its own, no redeploy needed) in
a cachetools TTLCache, like the indicators. Failures are not cached.
"""

import threading
import time
from collections.abc import Callable
from datetime import date

from cachetools import TTLCache

from chaos.application.scoring_service import Indicators
from chaos.domain.calibration import Calibration, CalibrationSource, calibrate_from_log, uncalibrated
from chaos.domain.scoring import ScoringModel


class LiveCalibrations(CalibrationSource):
    """`calibrate_from_log` on every call for ttl 0, else cached per (model version, day)."""

    def __init__(
        self,
        store: Indicators,
        ttl_seconds: float,
        on_refresh: Callable[[str, date, Calibration], None] = lambda version, day, calibration: None,
        maxsize: int = 4096,
        timer: Callable[[], float] = time.monotonic,
    ):
        self.store = store
        self._cache: TTLCache | None = TTLCache(maxsize, ttl_seconds, timer) if ttl_seconds > 0 else None
        self._lock = threading.Lock()
        self._on_refresh = on_refresh

    def calibration(self, model: ScoringModel, day: date) -> Calibration:
        key = (model.version, day)
        if self._cache is not None:
            with self._lock:
                found = self._cache.get(key)
            if found is not None:
                return found
        log = self.store.contacts
        found = uncalibrated() if log is None else calibrate_from_log(day, model, log, self.store.repository)
        if self._cache is not None:
            with self._lock:
                self._cache[key] = found
        self._on_refresh(model.version, day, found)
        return found
