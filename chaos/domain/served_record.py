"""What chaos told its callers: every score served with the caller's contact id, kept as it was
answered (the audit trail, what the monitor measures, what a calibration can be fitted on).

A record is written once and never changed; only the retention purge removes the oldest ones. Joined
with the outcomes reported since (`ServedOutcomes`), it is the truth of what was served.
"""

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class ServedScore:
    """One answer: the contact, the model and calibration it was scored with, the numbers sent."""

    contact_id: int
    contact_date: date
    model_version: str
    calibration_until: date | None
    """Last day of the calibration's window (None: no window held enough outcomes)."""
    calibration_window_days: int | None
    calibration_shift: float
    calibration_slope: float
    calibration_offset: float
    calibration_stale: bool
    log_odds: float
    """The model's log-odds before calibration."""
    probability: float
    """The appetence answered: sigmoid(offset + slope * (log_odds + shift))."""
    key_id: str | None
    """The id of the API key that asked (never the key itself); None outside the HTTP API."""
    served_at: datetime


class ServedRecord(ABC):
    """Where served scores are kept: appended in bulk, read back per contact, purged by age."""

    @abstractmethod
    def append(self, scores: Sequence[ServedScore]) -> None:
        """Keep `scores`, all or none; IndicatorsUnavailable when the store cannot be written now."""

    @abstractmethod
    def of_contact(self, contact_id: int, contact_date: date | None = None) -> list[ServedScore]:
        """What was served for `contact_id` (on `contact_date` only, if given), oldest first."""

    @abstractmethod
    def purge(self, served_before: datetime) -> int:
        """Remove the records served before `served_before`; how many went."""


@dataclass(frozen=True, slots=True)
class ServedOutcome:
    """A served score whose contact's outcome is now known."""

    model_version: str
    contact_date: date
    shifted_log_odds: float
    """The model's log-odds plus the calibration's shift, as served (before its slope and offset)."""
    probability: float
    """The appetence answered."""
    subscribed: bool


class ServedOutcomes(ABC):
    """The served record joined with the call log's resolved outcomes, by contact id and day."""

    @abstractmethod
    def between(self, first: date, last: date) -> list[ServedOutcome]:
        """The served scores of contacts dated `first` to `last` whose outcome is resolved, oldest
        contact day first: of a contact scored more than once on its day by one model version, the
        last answer (the one its caller acted on). Raises IndicatorsUnavailable when the store
        cannot answer."""
