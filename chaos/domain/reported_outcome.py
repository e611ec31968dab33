"""Outcomes that marketing tools report, contact by contact, and the rule a new report follows.

A contact is identified by its id. Its fields (the contact date and the customer's features, as
they were scored) come with its first report; later reports may send the status alone. Reporting
is idempotent: the same status again changes nothing, a resolved status replaces a pending one,
and anything that would change what is already known (another resolved status, pending again
after a resolution, other fields) is a conflict, applied only when the caller asks to replace.
"""

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from chaos.domain.outcome import Outcome
from chaos.domain.report_bounds import Reporter
from chaos.domain.repositories import IndicatorsUnavailable


@dataclass(frozen=True)
class Call:
    """What was known of the contact when it was scored."""

    date: date
    features: Mapping[str, object]
    """Every name of features.CUSTOMER_FEATURES (None = unknown)."""


@dataclass(frozen=True)
class ReportedOutcome:
    contact_id: int
    outcome: Outcome
    call: Call | None
    """None in a report that sends the status alone, for a contact reported before."""


class Change(StrEnum):
    """What a report does to what is known of its contact."""

    NEW = "new"
    RESOLVED = "resolved"
    UNCHANGED = "unchanged"
    REPLACED = "replaced"


@dataclass(frozen=True)
class Refusal:
    """Why the report at `row` (0-based, in the request) cannot be applied."""

    row: int
    contact_id: int
    reason: str


class UnknownContacts(ValueError):
    """Reports for contacts chaos does not know: a status alone for a contact never reported with its
    fields, or (when such reports are refused) a contact never scored with its id nor imported."""

    def __init__(self, refusals: Sequence[Refusal]):
        super().__init__("; ".join(refusal.reason for refusal in refusals))
        self.refusals = list(refusals)


class ConflictingOutcomes(ValueError):
    """Reports that would change what is known of their contact, without leave to replace it."""

    def __init__(self, refusals: Sequence[Refusal]):
        super().__init__("; ".join(refusal.reason for refusal in refusals))
        self.refusals = list(refusals)


def change(known: ReportedOutcome | None, report: ReportedOutcome, replace_known: bool) -> Change | str:
    """What `report` does to `known`; a string says why it conflicts (a refusal unless replacing)."""
    if known is None:
        return Change.NEW
    conflict = _conflict(known, report)
    if conflict is not None:
        return Change.REPLACED if replace_known else conflict
    if known.outcome is report.outcome:
        return Change.UNCHANGED
    return Change.RESOLVED  # pending, now resolved: the only change without conflict


def merged(known: ReportedOutcome | None, report: ReportedOutcome) -> ReportedOutcome:
    """What is known once `report` is applied: its fields, or the known ones when it sends none."""
    if known is None:
        return report
    return replace(report, call=report.call or known.call)


def _conflict(known: ReportedOutcome, report: ReportedOutcome) -> str | None:
    contact = f"contact {report.contact_id}"
    if report.call is not None and report.call != known.call:
        return f"{contact} was reported with other fields: {_differences(known.call, report.call)}"
    if known.outcome.resolved and known.outcome is not report.outcome:
        return f"{contact} is already resolved as {known.outcome.value!r}, not {report.outcome.value!r}"
    return None


def _differences(known: Call | None, given: Call) -> str:
    if known is None:
        return "none were known"
    pairs = [("date", known.date, given.date)] + [
        (name, known.features.get(name), value) for name, value in given.features.items()
    ]
    return ", ".join(f"{name} {old!r} then {new!r}" for name, old, new in pairs if old != new)


class ReportsBusy(RuntimeError):
    """Other reports held the book for longer than this one may wait, or kept changing its contacts
    while it was decided: nothing of it was written, and the same request may be sent again."""


class OutcomesUnavailable(IndicatorsUnavailable):
    """The book could not be read or written (database down, timeout): nothing was written."""


class OutcomeBook(ABC):
    """Where reported outcomes are kept (the `reported_outcome` table)."""

    @abstractmethod
    def update(
        self,
        contact_ids: Sequence[int],
        apply: Callable[[Mapping[int, ReportedOutcome]], Sequence[ReportedOutcome]],
        reporter: Reporter,
    ) -> None:
        """Read what is known of `contact_ids`, call `apply` with it, and write the outcomes it
        returns, all or none, as if no other update ran meanwhile: when another update changed one
        of these contacts before the write, `apply` is called again with what is known then (it
        must start afresh on each call), and only its last answer is written. If `apply` raises,
        nothing is written and the exception propagates. The rows written name `reporter`'s key,
        and are first admitted by it against the other rows its key wrote today (UTC), counted
        with the write, so that reports sent at once cannot pass the limit together.

        Raises ReportVolumeExceeded past the key's limit, ReportsBusy when other updates keep it
        waiting too long, OutcomesUnavailable when the store cannot answer."""

    @abstractmethod
    def strangers(self, contact_ids: Sequence[int]) -> set[int]:
        """Those of `contact_ids` chaos neither scored with their id, nor imported, nor was told of
        before: contacts it has never seen."""
