"""`chaos calibrate`, the use case: compute each day's calibration for every servable model and store
it, so that pods read one row instead of scanning and scoring the call log.

Run on a schedule (deployment/base/calibrate-cronjob.yaml): each run computes today and tomorrow,
so the row of a new day exists before its first request; `since` backfills earlier days (a campaign
batch dated in the past reads their rows too)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa

from chaos.application.calibrations import calibrate_models
from chaos.domain.calibration import Calibration
from chaos.infrastructure.config import Settings
from chaos.infrastructure.db.calibration_store import SqlCalibrationStore
from chaos.infrastructure.db.contact_log import SqlContactLog
from chaos.infrastructure.db.socio_eco_repository import SqlSocioEcoRepository
from chaos.infrastructure.models.artifacts import ArtifactStore, ModelLoadError

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


def store_calibrations(
    settings: Settings,
    engine: sa.Engine,
    artifacts: ArtifactStore,
    days: list[date],
    progress: Callable[[str], None],
) -> CalibrationRun:
    """Calibrate every version the model store lists (the local directory or the bucket: what pods
    may serve); a version that fails verification is reported unservable, never calibrated."""
    models, unservable = [], {}
    for version in artifacts.versions():
        try:
            models.append(artifacts.load(version))
        except ModelLoadError as error:
            unservable[version] = str(error)
    policy = settings.calibration.policy()
    progress(f"calibrating {len(models)} models for {len(days)} days ({days[0]} to {days[-1]})")
    stored = calibrate_models(models, days, SqlContactLog(engine), SqlSocioEcoRepository(engine), policy)
    store = SqlCalibrationStore(engine)
    for version, calibrations in stored.items():
        store.save(version, policy, calibrations)
    return CalibrationRun(stored, unservable)
