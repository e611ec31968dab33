"""Calibrations computed once and read by every pod.

`chaos calibrate` (a scheduled job) reads the resolved outcomes of the call log, scores them with
each servable model and stores each day's calibration (calibration.calibrate, the function
evaluation and the backtest use, so the stored figures are those the model was judged with).
Serving reads one stored row per (model version, day) through `StoredCalibrations`, kept per worker
for `calibration.cache_ttl_seconds`; it never reads the call log. A missing or unreadable row is
never an error: the answer falls back to the newest earlier row, or to no shift, and says stale.
"""

import logging
import threading
import time
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import replace
from datetime import date, timedelta
from typing import Protocol

import numpy as np
import numpy.typing as npt
from cachetools import TTLCache

from chaos.domain.calibration import (
    Calibration,
    CalibrationPolicy,
    CalibrationSource,
    CalibrationStore,
    CorruptCalibration,
    Outcomes,
    UnreadableCalibrations,
    calibrate_days,
    uncalibrated,
)
from chaos.domain.repositories import ContactLog, PastContact, SocioEcoRepository
from chaos.domain.scoring import ScoringModel
from chaos.domain.socio_eco import INDICATORS

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

    def calibrations(self, model: ScoringModel, days: Collection[date]) -> dict[date, Calibration]:
        found: dict[date, Calibration] = {}
        if self._cache is not None:
            with self._lock:
                found = {
                    day: hit for day in days if (hit := self._cache.get((model.version, day))) is not None
                }
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
            day: uncalibrated(day=day) if row is None else row[1] if row[0] == day else later(row[1], day)
            for day, row in stored.items()
        }


def later(found: Calibration, day: date) -> Calibration:
    """A calibration computed for an earlier day, served on `day`: flagged, its age counted from `day`."""
    age = (day - found.newest_outcome).days if found.newest_outcome else None
    return replace(found, stale=True, outcomes_age_days=age)


def calibrate_models(
    models: Sequence[ScoringModel],
    days: Sequence[date],
    log: ContactLog,
    indicators: SocioEcoRepository,
    policy: CalibrationPolicy,
) -> dict[str, dict[date, Calibration]]:
    """Each model's calibration of each day, from the resolved outcomes each day may use.

    The outcomes are read once, in batches, and scored by every model with the indicators the as-of
    rule gives their own date, as training scored them; only dates, log-odds and outcomes are kept."""
    last = policy.last_known_day(max(days))
    anchor = min(log.newest_resolved(last) or last, policy.last_known_day(min(days)))
    first = anchor - timedelta(days=policy.history_days())
    dates: list[np.ndarray] = []
    subscribed: list[np.ndarray] = []
    log_odds: dict[str, list[np.ndarray]] = {model.version: [] for model in models}
    for batch in log.resolved_between(first, last):
        dates.append(np.array([contact.date for contact in batch], dtype="datetime64[D]"))
        subscribed.append(np.array([contact.subscribed for contact in batch], dtype=bool))
        for lag, lagged in _by_lag(models).items():
            rows = _model_rows(batch, indicators, lag)
            for model in lagged:
                log_odds[model.version].append(np.asarray(model.log_odds_many(rows), dtype=float))
    all_dates, all_subscribed = _joined(dates, "datetime64[D]"), _joined(subscribed, bool)
    calibrations = {}
    for model in models:
        outcomes = Outcomes(all_dates, _joined(log_odds[model.version], float), all_subscribed)
        calibrations[model.version] = calibrate_days(days, outcomes, policy)
    return calibrations


def _joined(parts: list[np.ndarray], dtype: npt.DTypeLike) -> np.ndarray:
    return np.concatenate(parts) if parts else np.array([], dtype=dtype)


def _by_lag(models: Iterable[ScoringModel]) -> dict[int, list[ScoringModel]]:
    """Models grouped by the publication lag of their as-of rule: each group shares its indicators."""
    groups: dict[int, list[ScoringModel]] = {}
    for model in models:
        groups.setdefault(model.publication_lag_days, []).append(model)
    return groups


def _model_rows(batch: Sequence[PastContact], indicators: SocioEcoRepository, lag: int) -> list[dict]:
    months = indicators.as_of_many({contact.date for contact in batch}, lag)
    unknown = dict.fromkeys(INDICATORS)
    return [{**c.features, **(row.as_features() if (row := months[c.date]) else unknown)} for c in batch]
