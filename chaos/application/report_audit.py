"""`chaos outcomes`: what each key reported by day, and a key's reports taken back. A purge is
followed at once by the recomputation of every day's calibration that could have read the purged
outcomes (daily_calibration.py, the `chaos calibrate` use case), so that pods stop serving what the
purged reports moved."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from chaos.application.daily_calibration import (
    MAX_DAYS,
    CalibrationRun,
    DailyCalibration,
    days_between,
    default_days,
)
from chaos.domain.calibration import CalibrationPolicy
from chaos.domain.report_ledger import PurgedReports, ReportLedger, ReportVolume


@dataclass(frozen=True)
class Purge:
    purged: PurgedReports
    days: list[date]
    """The contact days recalibrated (none when no stored calibration could have read the rows)."""
    run: CalibrationRun | None


def report_volumes(ledger: ReportLedger, first: date, last: date) -> list[ReportVolume]:
    """Rows each key wrote per UTC day from `first` to `last` (at most MAX_DAYS days)."""
    days_between(first, last)  # ValueError for an empty or absurd span
    return ledger.volumes(first, last)


def affected_days(purged: PurgedReports, policy: CalibrationPolicy, today: date) -> list[date]:
    """The contact days, up to the last `chaos calibrate` computes (tomorrow), whose calibration may
    have read an outcome of the purged contact days: from the first day that knows the earliest one
    to the last whose history reaches the latest one (at most MAX_DAYS, the latest kept)."""
    if purged.first_contact is None or purged.last_contact is None:
        return []
    lag = timedelta(days=policy.reporting_lag_days + 1)
    first = purged.first_contact + lag
    last = min(purged.last_contact + lag + timedelta(days=policy.history_days()), default_days(today)[-1])
    if first > last:
        return []
    return days_between(max(first, last - timedelta(days=MAX_DAYS - 1)), last)


def purge_key(
    ledger: ReportLedger,
    calibration: DailyCalibration,
    key_id: str,
    first: date | None,
    last: date | None,
    today: date,
    progress: Callable[[str], None],
) -> Purge:
    """Delete the rows `key_id` wrote from UTC day `first` to `last` (None: unbounded), then store
    the affected days' calibrations afresh. The rows are gone before the calibration runs: if it
    fails (ModelLoadError), `chaos calibrate` over `affected_days` finishes the work."""
    purged = ledger.purge(key_id, first, last)
    days = affected_days(purged, calibration.policy, today)
    return Purge(purged, days, calibration.run(days, progress) if days else None)
