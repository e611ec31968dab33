"""Record the outcomes a marketing tool reports: all of a request's reports, or none of them."""

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from chaos.application.stores import Stores
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


@dataclass(frozen=True)
class OutcomeReports:
    store: Stores
    """The store of the serving process, whose outcome book is reached on first use."""

    def record(self, reports: Sequence[ReportedOutcome], replace_known: bool = False) -> Tally:
        """Raises UnknownContacts (a status alone for a contact never reported with its fields),
        ConflictingOutcomes (refusals naming each row) or ReportsBusy (other reports kept the book
        too long), and then writes nothing; contact ids are unique within `reports` (the request
        reader refuses duplicates)."""
        counts: Counter[Change] = Counter()

        def apply(known: Mapping[int, ReportedOutcome]) -> list[ReportedOutcome]:
            counts.clear()  # called again when other reports changed these contacts meanwhile
            unknown = [
                Refusal(
                    row,
                    report.contact_id,
                    f"contact {report.contact_id} is unknown: send its date and fields",
                )
                for row, report in enumerate(reports)
                if report.call is None and report.contact_id not in known
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
            return [
                merged(known.get(report.contact_id), report)
                for report, verdict in zip(reports, decided, strict=True)
                if verdict is not Change.UNCHANGED
            ]

        book = self.store.outcomes
        if book is None:
            raise OutcomesNotKept("this server keeps no reported outcomes")
        book.update([report.contact_id for report in reports], apply)
        return Tally(**{verdict.value: count for verdict, count in counts.items()})
