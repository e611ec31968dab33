"""The five statuses: pending is unknown, the others are labels, anything else is refused by name."""

import pytest

from chaos.domain.outcome import Outcome, UnknownOutcome


def test_only_souscrit_is_a_subscription_and_pending_is_no_label():
    labels = {outcome.value: outcome.subscribed for outcome in Outcome}
    assert labels == {
        "Souscrit": True,
        "Refus": False,
        "Absent": False,
        "Suppression": False,
        "En Attente": None,
    }
    assert [outcome for outcome in Outcome if not outcome.resolved] == [Outcome.PENDING]


def test_exports_spacing_is_trimmed_but_spelling_is_exact():
    assert Outcome.parse("  En Attente ") is Outcome.PENDING
    with pytest.raises(UnknownOutcome, match=r"'souscrit'.*'Souscrit', 'Refus'"):
        Outcome.parse("souscrit")
