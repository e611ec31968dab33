"""What each API key reported, day by day, and how a key's reports are taken back: the trace that
lets one bad reporter be found and purged (each reported outcome names its key)."""

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class ReportVolume:
    """The reported outcomes one key last wrote on one UTC day."""

    key_id: str | None
    """None: rows written before reports named their key."""
    day: date
    rows: int
    subscribed: int
    """Of them, reported as subscribed (`Souscrit`)."""
    resolved: int
    """Of them, resolved (not `En Attente`): what a calibration counts."""


@dataclass(frozen=True)
class PurgedReports:
    """What a purge removed: how many rows, and the span of their contact days (None: no row)."""

    rows: int
    first_contact: date | None
    last_contact: date | None


class ReportLedger(ABC):
    """The reported outcomes seen by key and day (the `reported_outcome` table, with its key ids)."""

    @abstractmethod
    def volumes(self, first: date, last: date) -> list[ReportVolume]:
        """Rows written from UTC day `first` to `last` inclusive, per key and day, by day then key."""

    @abstractmethod
    def purge(self, key_id: str, first: date | None, last: date | None) -> PurgedReports:
        """Delete the rows `key_id` wrote from UTC day `first` to `last` (None: no bound); a contact
        the export also holds is then known by its export row again."""
