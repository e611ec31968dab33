"""Calibrations computed once (daily_calibration.py, `chaos calibrate`) and read by every pod.

Serving reads one stored row per (model version, day) through `StoredCalibrations`, kept per worker
for `calibration.cache_ttl_seconds`; it never reads the call log. A missing or unreadable row is
never an error: the answer falls back to the newest earlier row, or to no shift, and says stale.
"""

import logging
import threading
import time
from collections.abc import Callable, Collection
from datetime import date
from typing import Protocol

from cachetools import TTLCache

from chaos.domain.calibration import (
    Calibration,
    CalibrationSource,
    CalibrationStore,
    CorruptCalibration,
    UnreadableCalibrations,
    held,
    uncalibrated,
)
from chaos.domain.scoring import ScoringModel

logger = logging.getLogger("chaos.calibration")


class StoredCalibrationsHolder(Protocol):
    """Where the stored calibrations are (built lazily, in the serving process); None: no store,
    every answer is the flagged fallback."""

    @property
    def calibrations(self) -> CalibrationStore | None: ...


class StoredCalibrations(CalibrationSource):
    """The stored row of (model version, day), cached per worker for `ttl_seconds` (0: read each time)."""

    def __init__(
        self,
        holder: StoredCalibrationsHolder,
        ttl_seconds: float,
        on_refresh: Callable[[str, date, Calibration], None] = lambda version, day, calibration: None,
        maxsize: int = 4096,
        timer: Callable[[], float] = time.monotonic,
    ):
        self.holder = holder
        self._cache: TTLCache | None = TTLCache(maxsize, ttl_seconds, timer) if ttl_seconds > 0 else None
        self._lock = threading.Lock()
        self._on_refresh = on_refresh

    def calibration(self, model: ScoringModel, day: date) -> Calibration:
        """One day's, as every score asks for it: a cached row is returned without the maps of
        `calibrations`."""
        cached = self._cached(model.version, day)
        return self.calibrations(model, [day])[day] if cached is None else cached

    def calibrations(self, model: ScoringModel, days: Collection[date]) -> dict[date, Calibration]:
        found = {day: hit for day in days if (hit := self._cached(model.version, day)) is not None}
        missing = [day for day in days if day not in found]
        if missing:
            read = self._read(model.version, missing)
            if self._cache is not None:
                with self._lock:
                    self._cache.update({(model.version, day): value for day, value in read.items()})
            for day, value in read.items():
                self._on_refresh(model.version, day, value)
            found |= read
        return found

    def _cached(self, version: str, day: date) -> Calibration | None:
        """The row kept for (version, day), None when absent or expired (or with no cache)."""
        if self._cache is None:
            return None
        try:
            with self._lock:
                return self._cache[version, day]  # a quarter of `get`'s cost, a KeyError if absent
        except KeyError:
            return None

    def _read(self, version: str, days: list[date]) -> dict[date, Calibration]:
        store = self.holder.calibrations
        if store is None:
            return {day: uncalibrated(day=day) for day in days}
        try:
            stored = store.newest(version, days)
        except CorruptCalibration as error:
            if len(days) > 1:  # find which day: the others keep their rows
                return {day: self._read(version, [day])[day] for day in days}
            logger.error("stored calibration unreadable, serving without shift: %s", error)
            return {day: uncalibrated(day=day) for day in days}
        except UnreadableCalibrations as error:
            logger.error("stored calibrations unreadable, serving without shift: %s", error)
            return {day: uncalibrated(day=day) for day in days}
        unstored = [day for day, row in stored.items() if row is None]
        if unstored:
            logger.warning(
                "no stored calibration of %s up to %s (%d days): run `chaos calibrate`",
                version,
                max(unstored),
                len(unstored),
            )
        return {
            # a row computed for an earlier day is served unchanged, flagged, aged from `day`
            day: uncalibrated(day=day) if row is None else row[1] if row[0] == day else held(row[1], day)
            for day, row in stored.items()
        }
