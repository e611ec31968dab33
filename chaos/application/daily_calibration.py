"""`chaos calibrate`, the use case: compute each day's calibration for every servable model and store
it, so that pods read one row instead of scanning and scoring the call log (stored_calibrations.py).

It reads the resolved outcomes of the call log, scores them with each servable model and stores each
day's calibration (calibration.calibrate_days, the function evaluation and the backtest use, so the
stored figures are those the model was judged with); a model's slope is fitted on what the served
record says it answered, where it holds enough of the slope window's outcomes. Each day stored says
whether it moved more than its own history makes plausible (calibration_moves.py). Run on a schedule
(deployment/base/calibrate-cronjob.yaml): each run computes every day from the one after the newest
stored to tomorrow (`due_days`), so the row of a new day exists before its first request and a day
missed by a failed run is filled by the next; explicit days backfill earlier ones (a campaign batch
dated in the past reads their rows too)."""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import numpy.typing as npt

from chaos.application.job_windows import FIRST_RUN_DAYS
from chaos.application.stores import JobStores
from chaos.domain.calibration import (
    Calibration,
    CalibrationPolicy,
    CorruptCalibration,
    Outcomes,
    calibrate_days,
)
from chaos.domain.calibration_moves import MOVE_WINDOW_DAYS, flag_moves
from chaos.domain.model_store import ModelLoadError, ModelStore
from chaos.domain.repositories import ContactLog, PastContact, SocioEcoRepository
from chaos.domain.scoring import ScoringModel
from chaos.domain.served_record import ServedOutcome, ServedOutcomes
from chaos.domain.socio_eco import INDICATORS

MAX_DAYS = 3_700
"""About ten years of days in one run: a typo in a date must not start a week-long job."""


@dataclass(frozen=True)
class CalibrationRun:
    stored: dict[str, dict[date, Calibration]]
    """Calibrations written, by model version and day."""
    unservable: dict[str, str]
    """Versions of the model store that could not be loaded, with why (nothing stored for them)."""


def days_between(first: date, last: date) -> list[date]:
    """Every day from `first` to `last` inclusive; ValueError for an empty or absurd range."""
    count = (last - first).days + 1
    if not 1 <= count <= MAX_DAYS:
        raise ValueError(f"from {first} to {last}: give between 1 and {MAX_DAYS} days")
    return [first + timedelta(days=offset) for offset in range(count)]


def default_days(today: date) -> list[date]:
    """Today and tomorrow: a run shortly after midnight leaves a day of margin before the next."""
    return [today, today + timedelta(days=1)]


@dataclass(frozen=True)
class DailyCalibration:
    models: ModelStore
    stores: JobStores
    policy: CalibrationPolicy

    def due_days(self, today: date) -> list[date]:
        """The days a run without dates computes: from the day after the newest calibration stored for
        a version of the store (the earliest such day among the versions; FIRST_RUN_DAYS before today
        for a version with none, or whose newest row is corrupt) to tomorrow, and at least today and
        tomorrow; never more than MAX_DAYS."""
        tomorrow = today + timedelta(days=1)
        first = today
        for version in self.models.versions():
            try:
                newest = self.stores.calibrations.newest(version, [tomorrow])[tomorrow]
            except CorruptCalibration:
                newest = None
            start = (
                today - timedelta(days=FIRST_RUN_DAYS) if newest is None else newest[0] + timedelta(days=1)
            )
            first = min(first, start)
        return days_between(max(first, tomorrow - timedelta(days=MAX_DAYS - 1)), tomorrow)

    def run(self, days: list[date], progress: Callable[[str], None]) -> CalibrationRun:
        """Calibrate every version the model store lists (the local directory or the bucket: what
        pods may serve); a version that fails verification is reported unservable, never calibrated."""
        models, unservable = [], {}
        for version in self.models.versions():
            try:
                models.append(self.models.load(version))
            except ModelLoadError as error:
                unservable[version] = str(error)
        progress(f"calibrating {len(models)} models for {len(days)} days ({days[0]} to {days[-1]})")
        computed = calibrate_models(
            models, days, self.stores.contacts, self.stores.indicators, self.policy, self.stores.served
        )
        history = (min(days) - timedelta(days=MOVE_WINDOW_DAYS + 1), min(days) - timedelta(days=1))
        stored = {}
        for version, calibrations in computed.items():
            stored[version] = flag_moves(self.stores.calibrations.between(version, *history), calibrations)
            self.stores.calibrations.save(version, self.policy, stored[version])
        return CalibrationRun(stored, unservable)


def calibrate_models(
    models: Sequence[ScoringModel],
    days: Sequence[date],
    log: ContactLog,
    indicators: SocioEcoRepository,
    policy: CalibrationPolicy,
    served: ServedOutcomes | None = None,
) -> dict[str, dict[date, Calibration]]:
    """Each model's calibration of each day, from the resolved outcomes each day may use.

    The outcomes are read once, in batches, and scored by every model with the indicators the as-of
    rule gives their own date, as training scored them; only dates, log-odds and outcomes are kept.
    The served record's outcomes of the same days are read once too, and each model's slope fitted
    on its own answers."""
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
    answered = [] if served is None else served.between(first, last)
    calibrations = {}
    for model in models:
        outcomes = Outcomes(all_dates, _joined(log_odds[model.version], float), all_subscribed)
        own = [score for score in answered if score.model_version == model.version]
        calibrations[model.version] = calibrate_days(days, outcomes, policy, _as_served(own) if own else None)
    return calibrations


def _as_served(scores: Sequence[ServedOutcome]) -> Outcomes:
    """A model's served scores as the outcomes of the log-odds it answered (shift included)."""
    return Outcomes(
        np.array([score.contact_date for score in scores], dtype="datetime64[D]"),
        np.array([score.shifted_log_odds for score in scores], dtype=float),
        np.array([score.subscribed for score in scores], dtype=bool),
    )


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
