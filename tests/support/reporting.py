"""Outcome reports as the tests of recording send them: one key, whose bounds never stand in the way
(the bounds have tests of their own: tests/unit/test_report_bounds.py)."""

from dataclasses import asdict
from datetime import UTC, date, datetime

from chaos.application.outcome_reports import OutcomeReports
from chaos.application.stores import Stores
from chaos.domain.report_bounds import UnknownContactPolicy
from chaos.domain.served_record import ServedScore
from chaos.infrastructure.config.settings import OutcomeSettings

KEY = "reporter"
"""The id of the key the reports come with."""
NO_LIMIT = 10_000_000
"""More rows a day than any test writes (settings' own maximum)."""


def reports_on(stores: Stores) -> OutcomeReports:
    """Reports into `stores`' book, for any contact and any volume."""
    return OutcomeReports(stores, NO_LIMIT, UnknownContactPolicy.ACCEPT)


UNBOUNDED = OutcomeSettings(max_daily_reports_per_key=NO_LIMIT, unknown_contacts=UnknownContactPolicy.ACCEPT)
"""The `outcomes` settings of a server whose reports are about recording, not bounds."""


def served(contact_id: int, contact_date: date = date(2026, 11, 30)) -> dict:
    """A `served_score` row of `contact_id` (scored uncalibrated at one half): a contact chaos knows."""
    score = ServedScore(
        contact_id,
        contact_date,
        "test",
        None,
        None,
        0.0,
        1.0,
        0.0,
        True,
        0.0,
        0.5,
        "scorer",
        datetime.now(UTC),
    )
    return asdict(score)
