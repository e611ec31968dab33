"""The rule a new report follows against what is known of its contact."""

from datetime import date

import pytest

from chaos.domain.outcome import Outcome
from chaos.domain.reported_outcome import Call, Change, ReportedOutcome, change, merged

CALL = Call(date(2008, 5, 5), {"age": 41})
P, S, R = Outcome.PENDING, Outcome.SUBSCRIBED, Outcome.REFUSED


def known(outcome: Outcome) -> ReportedOutcome:
    return ReportedOutcome(1, outcome, CALL)


@pytest.mark.parametrize(
    ("before", "after", "verdict"),
    [
        (None, P, Change.NEW),
        (P, P, Change.UNCHANGED),
        (P, S, Change.RESOLVED),
        (S, S, Change.UNCHANGED),
    ],
)
def test_changes_without_conflict(before, after, verdict):
    assert change(before and known(before), ReportedOutcome(1, after, CALL), False) is verdict


@pytest.mark.parametrize(("before", "after"), [(S, R), (R, P)])
def test_changing_a_resolution_conflicts_unless_replacing(before, after):
    report = ReportedOutcome(1, after, None)
    assert "already resolved" in change(known(before), report, False)
    assert change(known(before), report, True) is Change.REPLACED


def test_other_fields_conflict_and_a_status_alone_keeps_the_known_fields():
    other = ReportedOutcome(1, P, Call(date(2008, 5, 5), {"age": 42}))
    assert change(known(P), other, False) == "contact 1 was reported with other fields: age 41 then 42"
    assert merged(known(P), ReportedOutcome(1, S, None)) == ReportedOutcome(1, S, CALL)
