"""Record the outcomes a marketing tool reports: all of a request's reports, or none of them, each
row naming the key that sent it, within the key's daily volume, and (unless accepted) only for
contacts chaos scored or imported."""

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from chaos.application.stores import Stores
from chaos.domain.report_bounds import (
    RefusalReason,
    Reporter,
    ReportVolumeExceeded,
    UnknownContactPolicy,
)
from chaos.domain.reported_outcome import (
    Change,
    ConflictingOutcomes,
    Refusal,
    ReportedOutcome,
    UnknownContacts,
    change,
    merged,
)


@dataclass(frozen=True)
class Tally:
    """How many reports of a request did what."""

    new: int = 0
    resolved: int = 0
    unchanged: int = 0
    replaced: int = 0


class OutcomesNotKept(RuntimeError):
    """This process was given no outcome book (a front end built on a bare repository)."""


def _no_count(key_id: str, counts: Mapping[str, int]) -> None:
    """Where a process without metrics sends what it counts."""


@dataclass(frozen=True)
class OutcomeReports:
    store: Stores
    """The store of the serving process, whose outcome book is reached on first use."""
    daily_limit: int
    """Rows one key may write a UTC day (outcomes.max_daily_reports_per_key)."""
    unknown_contacts: UnknownContactPolicy = UnknownContactPolicy.REFUSE
    written: Callable[[str, Mapping[str, int]], None] = _no_count
    """Told each request's rows written, by status, with its key's id."""
    refused: Callable[[str, Mapping[str, int]], None] = _no_count
    """Told each refused request's rows, by reason (a problem's slug), with its key's id."""

    def record(self, key_id: str, reports: Sequence[ReportedOutcome], replace_known: bool = False) -> Tally:
        """Raises UnknownContacts (a status alone for a contact never reported with its fields, or
        fields for a contact chaos never saw, when refused), ConflictingOutcomes (refusals naming
        each row), ReportVolumeExceeded (past the key's daily limit) or ReportsBusy (other reports
        kept the book too long), and then writes nothing; contact ids are unique within `reports`
        (the request reader refuses duplicates)."""
        try:
            return self._record(reports, Reporter(key_id, self.daily_limit), replace_known)
        except UnknownContacts as error:
            self.refused(key_id, {RefusalReason.UNKNOWN_CONTACTS: len(error.refusals)})
            raise
        except ReportVolumeExceeded as error:
            self.refused(key_id, {RefusalReason.VOLUME_EXCEEDED: error.adding})
            raise

    def _record(self, reports: Sequence[ReportedOutcome], reporter: Reporter, replace_known: bool) -> Tally:
        book = self.store.outcomes
        if book is None:
            raise OutcomesNotKept("this server keeps no reported outcomes")
        first_reports = [report.contact_id for report in reports if report.call is not None]
        checked = self.unknown_contacts is UnknownContactPolicy.REFUSE and first_reports
        strangers = book.strangers(first_reports) if checked else set()
        counts: Counter[Change] = Counter()
        statuses: Counter[str] = Counter()

        def apply(known: Mapping[int, ReportedOutcome]) -> list[ReportedOutcome]:
            counts.clear()  # called again when other reports changed these contacts meanwhile
            statuses.clear()
            unknown = [
                Refusal(row, report.contact_id, reason)
                for row, report in enumerate(reports)
                if (reason := _unknown(report, known, strangers)) is not None
            ]
            if unknown:
                raise UnknownContacts(unknown)
            decided = [change(known.get(report.contact_id), report, replace_known) for report in reports]
            conflicts = [
                Refusal(row, report.contact_id, verdict)
                for row, (report, verdict) in enumerate(zip(reports, decided, strict=True))
                if not isinstance(verdict, Change)
            ]
            if conflicts:
                raise ConflictingOutcomes(conflicts)
            counts.update(verdict for verdict in decided if isinstance(verdict, Change))
            written = [
                merged(known.get(report.contact_id), report)
                for report, verdict in zip(reports, decided, strict=True)
                if verdict is not Change.UNCHANGED
            ]
            statuses.update(outcome.outcome.value for outcome in written)
            return written

        book.update([report.contact_id for report in reports], apply, reporter)
        self.written(reporter.key_id, statuses)
        return Tally(**{verdict.value: count for verdict, count in counts.items()})


def _unknown(
    report: ReportedOutcome, known: Mapping[int, ReportedOutcome], strangers: set[int]
) -> str | None:
    """Why `report` names a contact chaos does not know, or None. A contact reported before is known
    whatever else: only its first report is checked against what chaos scored or imported."""
    if report.contact_id in known:
        return None
    if report.call is None:
        return f"contact {report.contact_id} is unknown: send its date and fields"
    if report.contact_id in strangers:
        return (
            f"contact {report.contact_id} was never scored with its id nor imported "
            "(outcomes.unknown_contacts: refuse)"
        )
    return None
