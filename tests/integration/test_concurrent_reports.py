"""Outcome reports sent at once, through the API, on PostgreSQL: none is answered with a 5xx, a report
waits for another's write on its own lock timeout (not the statement deadline), what is stored is
always what one whole request decided, and one key's reports sent at once cannot pass its daily
limit together."""

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from flask import Flask

from chaos.bootstrap import web_worker
from chaos.domain.outcome import Outcome
from chaos.domain.report_bounds import Reporter
from chaos.domain.reported_outcome import ReportsBusy
from chaos.entrypoints.web.app_factory import create_app
from chaos.entrypoints.web.appetence_schema import EXAMPLE_REQUEST
from chaos.infrastructure.api_keys import key_hash
from chaos.infrastructure.config.settings import (
    ApiSettings,
    DatabaseSettings,
    OutcomeSettings,
)
from chaos.infrastructure.db.engine import create_engine
from chaos.infrastructure.db.outcome_book import ATTEMPTS, LOCK_KEY, SqlOutcomeBook
from chaos.infrastructure.db.tables import reported_outcome
from harness.network import free_port
from tests.fakes import FakeScoringModel
from tests.integration.test_reported_outcomes import reported
from tests.support.database import settings_on
from tests.support.reporting import KEY, NO_LIMIT, UNBOUNDED
from tests.web_clients import TEST_KEY, keyed_client

ROWS = 10_000
REPORTER = Reporter(KEY, NO_LIMIT)


@contextmanager
def reporting_app(database: DatabaseSettings, outcomes: OutcomeSettings = UNBOUNDED) -> Iterator[Flask]:
    keys = [{"hash": key_hash(TEST_KEY), "scopes": ["report_outcomes"]}]
    api = ApiSettings(keys=keys, batch_max_rows=ROWS)
    settings = settings_on(database, api=api, outcomes=outcomes)  # the fake model is never read from a store
    app = create_app(web_worker(settings, model=FakeScoringModel()))
    try:
        yield app
    finally:
        app.extensions["chaos"].service.stores.engine.dispose()


def report(ids: range, outcome: str) -> dict:
    return {"outcomes": [{"id": i, "outcome": outcome, "date": "2026-11-02", **EXAMPLE_REQUEST} for i in ids]}


def at_once(app: Flask, *requests: tuple[str, dict]) -> list:
    """POST each (path, body) from its own thread, released together; the answers in order."""
    answers: list = [None] * len(requests)
    barrier = threading.Barrier(len(requests))

    def send(index: int, path: str, body: dict) -> None:
        client = keyed_client(app, TEST_KEY)
        barrier.wait()
        answers[index] = client.post(path, json=body)

    threads = [threading.Thread(target=send, args=(i, *request)) for i, request in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return answers


def stored_outcomes(engine: sa.Engine) -> dict[str, int]:
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(reported_outcome.c.outcome, sa.func.count()).group_by(reported_outcome.c.outcome)
        )
        return dict(rows.all())


def tally(answer) -> dict[str, int]:
    return {name: answer.json[name] for name in ("new", "resolved", "unchanged", "replaced")}


def test_two_full_size_reports_of_the_same_contacts_at_once_are_applied_one_whole_after_the_other(
    engine, database_settings
):
    with reporting_app(database_settings) as app:
        refused, subscribed = at_once(
            app,
            ("/outcomes?replace=true", report(range(ROWS), "Refus")),
            ("/outcomes?replace=true", report(range(ROWS), "Souscrit")),
        )
    assert (refused.status_code, subscribed.status_code) == (200, 200), (refused.json, subscribed.json)
    first, second = sorted([refused, subscribed], key=lambda answer: answer.json["replaced"])
    assert tally(first) == {"new": ROWS, "resolved": 0, "unchanged": 0, "replaced": 0}
    assert tally(second) == {"new": 0, "resolved": 0, "unchanged": 0, "replaced": ROWS}
    # Every row is the second request's: none of the first survives beside it.
    assert stored_outcomes(engine) == {"Souscrit" if second is subscribed else "Refus": ROWS}


def test_two_full_size_reports_of_other_contacts_at_once_are_both_recorded(engine, database_settings):
    with reporting_app(database_settings) as app:
        answers = at_once(
            app,
            ("/outcomes", report(range(ROWS), "Refus")),
            ("/outcomes", report(range(ROWS, 2 * ROWS), "Absent")),
        )
    assert [answer.status_code for answer in answers] == [200, 200], [answer.json for answer in answers]
    assert [answer.json["new"] for answer in answers] == [ROWS, ROWS]
    assert stored_outcomes(engine) == {"Refus": ROWS, "Absent": ROWS}


def test_two_full_size_reports_of_one_key_at_once_cannot_pass_its_daily_limit_together(
    engine, database_settings
):
    bounded = UNBOUNDED.model_copy(update={"max_daily_reports_per_key": ROWS + ROWS // 2})
    with reporting_app(database_settings, bounded) as app:
        answers = at_once(
            app,
            ("/outcomes", report(range(ROWS), "Refus")),
            ("/outcomes", report(range(ROWS, 2 * ROWS), "Souscrit")),
        )
    assert sorted(answer.status_code for answer in answers) == [200, 429], [a.json for a in answers]
    (kept,) = [answer for answer in answers if answer.status_code == 200]
    (turned_away,) = [answer for answer in answers if answer.status_code == 429]
    assert turned_away.json["type"] == "urn:chaos:problem:report-volume-exceeded"
    assert (turned_away.json["written_today"], turned_away.json["daily_limit"]) == (ROWS, ROWS + ROWS // 2)
    outcome = "Refus" if kept is answers[0] else "Souscrit"
    assert stored_outcomes(engine) == {outcome: ROWS}  # the whole kept request, nothing of the other


@contextmanager
def reports_lock_held(engine: sa.Engine) -> Iterator[None]:
    """The outcome reports' lock, held by another session until the block ends."""
    with engine.connect() as connection, connection.begin():
        connection.execute(sa.select(sa.func.pg_advisory_xact_lock(LOCK_KEY)))
        yield


def test_a_report_waits_for_another_write_longer_than_the_statement_deadline(engine, database_settings):
    # Statements get 0.5 s on the server and 1.5 s on the client; the lock is held for 3 s.
    quick = database_settings.model_copy(update={"statement_timeout_ms": 500, "connect_timeout_seconds": 1})
    held_seconds = 3.0
    with reporting_app(quick) as app:
        client = keyed_client(app, TEST_KEY)
        client.post("/outcomes", json=report(range(100, 101), "Refus"))  # the pool's connection, opened
        answers = []
        with reports_lock_held(engine):
            sender = threading.Thread(
                target=lambda: answers.append(client.post("/outcomes", json=report(range(5), "Absent")))
            )
            started = time.monotonic()
            sender.start()
            time.sleep(held_seconds)
            assert not answers, answers[0].json  # still waiting
        sender.join(timeout=30)
    assert time.monotonic() - started >= held_seconds
    assert answers[0].status_code == 200, answers[0].json
    assert tally(answers[0]) == {"new": 5, "resolved": 0, "unchanged": 0, "replaced": 0}
    assert stored_outcomes(engine) == {"Absent": 5, "Refus": 1}


def test_a_report_kept_waiting_past_its_lock_timeout_is_a_429_and_writes_nothing(engine, database_settings):
    patient = database_settings.model_copy(update={"report_lock_timeout_ms": 300})
    with reporting_app(patient) as app, reports_lock_held(engine):
        answer = keyed_client(app, TEST_KEY).post("/outcomes", json=report(range(5), "Absent"))
    assert answer.status_code == 429, answer.json
    assert answer.mimetype == "application/problem+json"
    assert answer.headers["Retry-After"] == "5"
    assert answer.json["type"] == "urn:chaos:problem:reports-busy"
    assert "300 ms, database.report_lock_timeout_ms" in answer.json["detail"]
    assert "nothing of this report was recorded" in answer.json["detail"]
    assert stored_outcomes(engine) == {}


def test_a_report_whose_contacts_keep_changing_gives_up_and_writes_nothing(engine, database_settings):
    serving = create_engine(database_settings, request_path=True)
    book = SqlOutcomeBook(serving)
    calls = []

    def apply(known):
        calls.append(dict(known))
        # another report writes contact 1 each time this one has read it
        SqlOutcomeBook(engine).update([1], lambda _: [reported(1, Outcome.REFUSED)], REPORTER)
        return [reported(1, Outcome.SUBSCRIBED), reported(2, Outcome.ABSENT)]

    try:
        with pytest.raises(ReportsBusy, match=f"kept changing these contacts .*{ATTEMPTS} times"):
            book.update([1, 2], apply, REPORTER)
    finally:
        serving.dispose()
    assert len(calls) == ATTEMPTS
    assert stored_outcomes(engine) == {"Refus": 1}


def test_a_report_the_database_cannot_record_is_a_503_saying_so(database_settings):
    unreachable = database_settings.model_copy(update={"embedded": False, "port": free_port()})
    with reporting_app(unreachable) as app:
        answer = keyed_client(app, TEST_KEY).post("/outcomes", json=report(range(5), "Absent"))
    assert answer.status_code == 503
    assert answer.headers["Retry-After"] == "5"
    assert answer.json["detail"] == (
        "the database cannot record outcomes right now; nothing of this report was recorded; retry later"
    )
