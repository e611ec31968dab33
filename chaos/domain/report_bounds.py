"""The bounds on what one API key may report: its rows a day, and whether it may report contacts chaos
never saw. One key must not be able to move every probability: its reports are counted per UTC day
and refused whole past the limit, and each row it writes names it, so that it can be traced and
purged."""

from dataclasses import dataclass
from enum import StrEnum


class RefusalReason(StrEnum):
    """Why a request's reports were refused whole: the problem type's slug, and a metric's label."""

    VOLUME_EXCEEDED = "report-volume-exceeded"
    UNKNOWN_CONTACTS = "unknown-contacts"


class UnknownContactPolicy(StrEnum):
    """What becomes of a report, with its fields, for a contact chaos neither scored with its id nor
    imported: an invented contact is how one key poisons the calibration."""

    REFUSE = "refuse"
    ACCEPT = "accept"


@dataclass(frozen=True)
class Reporter:
    """The key a request came with (its id, never the key) and how many rows it may write a day."""

    key_id: str
    daily_limit: int

    def admit(self, written_today: int, adding: int) -> None:
        """Raise ReportVolumeExceeded when `adding` rows to the `written_today` would pass the limit."""
        if written_today + adding > self.daily_limit:
            raise ReportVolumeExceeded(self, written_today, adding)


class ReportVolumeExceeded(RuntimeError):
    """The request would take its key past its daily limit: nothing of it was written."""

    def __init__(self, reporter: Reporter, written_today: int, adding: int):
        super().__init__(
            f"key {reporter.key_id!r} has written {written_today} reported outcome(s) today (UTC); "
            f"this report would add {adding}, past its limit of {reporter.daily_limit} a day "
            "(outcomes.max_daily_reports_per_key)"
        )
        self.reporter = reporter
        self.written_today = written_today
        self.adding = adding
