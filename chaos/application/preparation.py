"""Ready to serve from a fresh clone, the use case behind `chaos serve`: demo data seeded into an
empty embedded database, a champion model trained when there is none, the calibrations of every day
due stored and the served model measured on the last days (what the scheduled `chaos calibrate` and
`chaos monitor` do in production), so that `/monitoring` shows figures from the first start.

Whatever exists is reused, so a second start only checks. Demo data is never written to an external
database: the root gives no demo tables then.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Protocol

from chaos.application.daily_calibration import DailyCalibration
from chaos.application.job_windows import MEASURED_DAYS
from chaos.application.monitoring import ServedModelMonitor
from chaos.application.train_model_for_appetence import Training
from chaos.domain.model_store import ModelStore
from chaos.domain.training import TrainingError


class PreparationError(Exception):
    """The service cannot be made ready (no model could be trained); the message says why."""


class DemoData(Protocol):
    """The embedded database's tables, seeded with demo data when empty."""

    def is_empty(self) -> bool: ...

    def seed(self, rows: int) -> str:
        """Replace the tables' content with `rows` demo contacts; what was written, in words."""
        ...


@dataclass(frozen=True)
class Preparation:
    models: ModelStore
    calibration: DailyCalibration
    demo: DemoData | None
    """None for an external database, never seeded."""
    training: Callable[[Callable[[str], None]], Training]
    """Training on the database as it is then, reporting to the given progress (built only when
    needed: it needs chaos[train])."""
    pinned: str | None
    """`model.version`: the version to serve instead of the champion."""
    say: Callable[[str], None]
    monitor: ServedModelMonitor

    def prepare(self, demo_rows: int) -> str:
        """Make the data, a champion model and its calibrations ready; returns the version that will
        be served."""
        version = self._model(demo_rows)
        today = datetime.now(UTC).date()
        days = self.calibration.due_days(today)
        run = self.calibration.run(days, lambda stage: None)
        self.say(f"chaos: stored the calibrations of {_days(days)} ({len(run.stored)} models)")
        measured = self.monitor.run(MEASURED_DAYS, today)
        self.say(f"chaos: measured the served model on {len(measured)} of the last {MEASURED_DAYS} days")
        return version

    def _model(self, demo_rows: int) -> str:
        if self.demo is not None and self.demo.is_empty():
            self.say(f"chaos: empty database, seeding demo data: {self.demo.seed(demo_rows)}")
        if self.pinned:
            return self.pinned
        champion = self.models.champion()
        if champion is not None:
            return champion
        self.say(f"chaos: no champion model in {self.models.location}, training one")
        try:
            return self.training(self._stage).train(True, self._stage)
        except TrainingError as error:
            raise PreparationError(f"cannot train a model: {error}") from error

    def _stage(self, stage: str) -> None:
        self.say(f"  {stage}")


def _days(days: list[date]) -> str:
    return "today and tomorrow" if len(days) == 2 else f"{len(days)} days, {days[0]} to {days[-1]}"
