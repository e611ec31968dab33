"""A key's reports are bounded and named: each row written names the key's id; past the key's daily
limit a whole request is a 429 `report-volume-exceeded` naming the limit and the count, nothing
written; a contact chaos never saw is refused unless accepted; the counters by key say it all. And a
purge recomputes exactly the days whose calibration could have read the purged outcomes."""

from datetime import date

import pytest
from prometheus_client import REGISTRY

from chaos.application.report_audit import affected_days
from chaos.bootstrap import web_worker
from chaos.domain.calibration import DEFAULT_POLICY
from chaos.domain.report_ledger import PurgedReports
from chaos.entrypoints.web.app_factory import create_app
from chaos.infrastructure.api_keys import key_hash, new_key
from chaos.infrastructure.config import Settings
from chaos.infrastructure.config.settings import (
    DEFAULT_MAX_DAILY_REPORTS_PER_KEY,
    ApiSettings,
    OutcomeSettings,
)
from tests.fakes import FakeScoringModel, InMemoryOutcomeBook, InMemorySocioEcoRepository
from tests.unit.test_web_outcomes import report, row
from tests.web_clients import keyed_client

TOOL, OTHER = new_key(), new_key()


def clients(book: InMemoryOutcomeBook, **outcomes):
    keys = [
        {"hash": key_hash(TOOL), "scopes": ["report_outcomes"], "id": "tool"},
        {"hash": key_hash(OTHER), "scopes": ["report_outcomes"], "id": "other"},
    ]
    settings = Settings(api=ApiSettings(keys=keys), outcomes=OutcomeSettings(**outcomes))
    app = create_app(
        web_worker(settings, model=FakeScoringModel(), repository=InMemorySocioEcoRepository(), outcomes=book)
    )
    return keyed_client(app, TOOL), keyed_client(app, OTHER)


def counted(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_each_row_written_names_the_key_that_sent_it():
    book = InMemoryOutcomeBook()
    tool, other = clients(book)
    assert report(tool, row(1, "Souscrit"), row(2, "Refus")).status_code == 200
    assert report(other, row(3, "Absent")).status_code == 200
    assert book.key_ids == {1: "tool", 2: "tool", 3: "other"}


def test_past_its_daily_limit_a_key_gets_a_429_naming_the_limit_and_nothing_is_written():
    book = InMemoryOutcomeBook()
    tool, other = clients(book, max_daily_reports_per_key=3)
    before = counted("chaos_outcome_reports_refused_total", key_id="tool", reason="report-volume-exceeded")
    assert report(tool, row(1, "Refus"), row(2, "Refus")).status_code == 200
    refused = report(tool, row(3, "Souscrit"), row(4, "Souscrit"))
    assert refused.status_code == 429
    assert refused.mimetype == "application/problem+json"
    assert refused.json["type"] == "urn:chaos:problem:report-volume-exceeded"
    assert (refused.json["daily_limit"], refused.json["written_today"], refused.json["rows"]) == (3, 2, 2)
    assert refused.json["key_id"] == "tool"
    assert 0 < int(refused.headers["Retry-After"]) <= 86_400
    assert set(book.outcomes) == {1, 2}
    after = counted("chaos_outcome_reports_refused_total", key_id="tool", reason="report-volume-exceeded")
    assert after - before == 2
    assert report(other, row(3, "Souscrit"), row(4, "Souscrit")).status_code == 200  # a limit per key
    assert report(tool, row(5, "Refus")).status_code == 200  # up to the limit exactly


def test_rewriting_its_own_rows_of_the_day_counts_them_once():
    book = InMemoryOutcomeBook()
    tool, _ = clients(book, max_daily_reports_per_key=2)
    report(tool, row(1, "En Attente"), row(2, "En Attente"))
    resolved = report(tool, {"id": 1, "outcome": "Souscrit"}, {"id": 2, "outcome": "Refus"})
    assert resolved.status_code == 200, resolved.json


def test_a_contact_never_scored_nor_imported_is_refused_by_default_and_named():
    book = InMemoryOutcomeBook(seen=[1])
    tool, _ = clients(book)
    before = counted("chaos_outcome_reports_refused_total", key_id="tool", reason="unknown-contacts")
    refused = report(tool, row(1, "Refus"), row(7, "Souscrit"), row(8, "Souscrit"))
    assert refused.status_code == 422
    assert refused.json["type"] == "urn:chaos:problem:unknown-contacts"
    assert [error["row"] for error in refused.json["errors"]] == [1, 2]
    assert "never scored with its id nor imported" in refused.json["errors"][0]["message"]
    assert book.outcomes == {}
    assert (
        counted("chaos_outcome_reports_refused_total", key_id="tool", reason="unknown-contacts") - before == 2
    )


def test_accepted_unknown_contacts_are_recorded_and_stay_bounded():
    book = InMemoryOutcomeBook(seen=[])
    tool, _ = clients(book, unknown_contacts="accept", max_daily_reports_per_key=2)
    assert report(tool, row(7, "Souscrit"), row(8, "Souscrit")).status_code == 200
    assert report(tool, row(9, "Souscrit")).status_code == 429


def test_written_rows_are_counted_by_key_and_status():
    book = InMemoryOutcomeBook()
    tool, _ = clients(book)
    subscribed = counted("chaos_outcomes_reported_total", key_id="tool", outcome="Souscrit")
    refusals = counted("chaos_outcomes_reported_total", key_id="tool", outcome="Refus")
    report(tool, row(1, "Souscrit"), row(2, "Refus"), row(3, "Refus"))
    report(tool, row(1, "Souscrit"))  # unchanged: nothing written, nothing counted
    assert counted("chaos_outcomes_reported_total", key_id="tool", outcome="Souscrit") - subscribed == 1
    assert counted("chaos_outcomes_reported_total", key_id="tool", outcome="Refus") - refusals == 2


def test_the_default_limit_is_a_multiple_of_the_busiest_real_day():
    busiest_real_day = 825  # contacts on the busiest day of the bank's call log (docs/configuration.md)
    assert 2 * busiest_real_day <= DEFAULT_MAX_DAILY_REPORTS_PER_KEY <= 3 * busiest_real_day


TODAY = date(2026, 12, 7)


@pytest.mark.parametrize(
    ("contact_days", "recomputed"),
    [
        # without reporting lag, a day's outcomes are known the next day; tomorrow is the last computed
        ((date(2026, 11, 2), date(2026, 11, 20)), (date(2026, 11, 3), date(2026, 12, 8))),
        ((TODAY, TODAY), (date(2026, 12, 8), date(2026, 12, 8))),
    ],
)
def test_a_purge_recomputes_the_days_that_could_have_read_its_outcomes(contact_days, recomputed):
    assert DEFAULT_POLICY.reporting_lag_days == 0
    days = affected_days(PurgedReports(3, *contact_days), DEFAULT_POLICY, TODAY)
    assert (days[0], days[-1]) == recomputed
    assert len(days) == (recomputed[1] - recomputed[0]).days + 1


def test_a_purge_of_nothing_recomputes_nothing():
    assert affected_days(PurgedReports(0, None, None), DEFAULT_POLICY, TODAY) == []


def test_a_purge_recomputes_no_day_beyond_the_history_of_its_outcomes():
    days = affected_days(PurgedReports(1, date(2020, 1, 1), date(2020, 1, 1)), DEFAULT_POLICY, TODAY)
    assert days[0] == date(2020, 1, 2)
    assert (days[-1] - days[0]).days == DEFAULT_POLICY.history_days()
