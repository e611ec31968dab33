"""Reported outcomes in PostgreSQL: recorded all or none, serialized, kept apart from imports of the
bank's export (the reconciliation rule), and read through `contact_outcome` by calibration."""

import threading
from collections.abc import Iterator
from datetime import date

import pytest
import sqlalchemy as sa

from chaos.application.outcome_reports import OutcomeReports, Tally
from chaos.application.stores import GivenStores
from chaos.domain.outcome import Outcome
from chaos.domain.reported_outcome import Call, ConflictingOutcomes, ReportedOutcome
from chaos.entrypoints.web.appetence_schema import EXAMPLE_REQUEST
from chaos.infrastructure.db.contact_log import SqlContactLog
from chaos.infrastructure.db.engine import create_engine
from chaos.infrastructure.db.outcome_book import SqlOutcomeBook
from chaos.infrastructure.db.tables import reported_outcome
from chaos.infrastructure.importing import layouts
from chaos.infrastructure.importing.importer import import_csv
from tests.fakes import InMemorySocioEcoRepository
from tests.integration.test_import_command import HEADER, ROWS
from tests.support.reporting import KEY, reports_on

CALL = Call(date(2008, 5, 5), dict(EXAMPLE_REQUEST))


def reported(contact_id: int, outcome: Outcome, call: Call | None = CALL) -> ReportedOutcome:
    return ReportedOutcome(contact_id, outcome, call)


@pytest.fixture
def reports(engine, database_settings) -> Iterator[OutcomeReports]:
    """Reports recorded through the engine serving uses: pooled, reading in autocommit."""
    serving = create_engine(database_settings, request_path=True)
    yield reports_on(GivenStores(InMemorySocioEcoRepository(), outcomes=SqlOutcomeBook(serving)))
    serving.dispose()


def stored(engine) -> dict[int, str]:
    with engine.connect() as connection:
        rows = connection.execute(sa.select(reported_outcome.c.id, reported_outcome.c.outcome))
        return dict(rows.all())


def test_reports_are_recorded_then_resolved_then_unchanged(engine, reports):
    assert reports.record(KEY, [reported(1, Outcome.PENDING), reported(2, Outcome.ABSENT)]) == Tally(new=2)
    assert reports.record(KEY, [reported(1, Outcome.SUBSCRIBED, call=None)]) == Tally(resolved=1)
    assert reports.record(KEY, [reported(1, Outcome.SUBSCRIBED), reported(2, Outcome.ABSENT)]) == Tally(
        unchanged=2
    )
    assert stored(engine) == {1: "Souscrit", 2: "Absent"}


def test_a_conflict_writes_nothing_of_the_request(engine, reports):
    reports.record(KEY, [reported(1, Outcome.REFUSED)])
    with pytest.raises(ConflictingOutcomes) as refused:
        reports.record(KEY, [reported(3, Outcome.ABSENT), reported(1, Outcome.SUBSCRIBED)])
    assert [(refusal.row, refusal.contact_id) for refusal in refused.value.refusals] == [(1, 1)]
    assert stored(engine) == {1: "Refus"}


def test_replacing_updates_the_row_and_its_time(engine, reports):
    reports.record(KEY, [reported(1, Outcome.REFUSED)])
    with engine.connect() as connection:
        first = connection.scalar(sa.select(reported_outcome.c.reported_at))
    assert reports.record(KEY, [reported(1, Outcome.SUBSCRIBED)], replace_known=True) == Tally(replaced=1)
    with engine.connect() as connection:
        assert connection.scalar(sa.select(reported_outcome.c.reported_at)) > first
    assert stored(engine) == {1: "Souscrit"}


def test_concurrent_reports_of_one_new_contact_are_one_new_and_the_others_unchanged(engine, reports):
    tallies: list[Tally] = []
    barrier = threading.Barrier(4)

    def send() -> None:
        barrier.wait()
        tallies.append(reports.record(KEY, [reported(5, Outcome.ABSENT), reported(6, Outcome.PENDING)]))

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(tallies, key=lambda tally: tally.new) == [Tally(unchanged=2)] * 3 + [Tally(new=2)]


def test_a_write_that_fails_writes_none_of_the_request(engine, reports):
    too_old = reported(2, Outcome.REFUSED, Call(date(2008, 5, 5), {**EXAMPLE_REQUEST, "age": 70_000}))
    with pytest.raises(sa.exc.DataError):  # smallint out of range: the statement fails as a whole
        reports.record(KEY, [reported(1, Outcome.REFUSED), too_old])
    assert stored(engine) == {}


def import_export(engine, tmp_path, rows: list[str]):
    path = tmp_path / "export.csv"
    path.write_bytes(("\n".join([HEADER, *rows]) + "\n").encode("latin-1"))
    report = import_csv(engine, path, layouts.MARKETING, max_reject_ratio=0.0, rejects_dir=tmp_path)
    assert report.written is not None
    return report.written


def test_an_import_never_deletes_nor_overwrites_a_reported_outcome(engine, reports, tmp_path):
    # ROWS: contact 0 is Refus, 1 Souscrit, 2 and 3 Absent in the export.
    reports.record(
        KEY,
        [
            reported(0, Outcome.SUBSCRIBED),  # contradicts the export's Refus
            reported(1, Outcome.SUBSCRIBED),  # agrees
            reported(2, Outcome.PENDING),  # the export knows more
            reported(9, Outcome.REFUSED),  # not in the export
        ],
    )
    written = import_export(engine, tmp_path, ROWS)
    assert written.contradicted == (0,)
    smaller = import_export(engine, tmp_path, ROWS[1:])  # replace mode: contact 0 leaves marketing
    assert smaller.removed == 1
    assert stored(engine) == {0: "Souscrit", 1: "Souscrit", 2: "En Attente", 9: "Refus"}


def test_calibration_reads_the_export_reconciled_with_the_reports(engine, reports, tmp_path):
    pending = "4;2008-06-03;41;Technicien;Marié;Secondaire;No;20;Yes;No;;0;1;-1;0;;En Attente"
    import_export(
        engine, tmp_path, [*ROWS[:3], pending]
    )  # 0 Refus (05-05), 1 Souscrit (05-05), 2 Absent (06-02)
    reports.record(
        KEY,
        [
            reported(0, Outcome.SUBSCRIBED),  # a resolved report supersedes the export's row
            reported(2, Outcome.PENDING),  # a pending report hides nothing
            reported(9, Outcome.REFUSED),  # a contact only reported counts
            reported(10, Outcome.PENDING),  # a pending one does not
        ],
    )
    log = SqlContactLog(engine, batch_rows=2)
    contacts = [
        contact for batch in log.resolved_between(date(2008, 5, 1), date(2008, 6, 30)) for contact in batch
    ]
    outcomes = sorted((contact.date.isoformat(), contact.subscribed) for contact in contacts)
    assert log.newest_resolved(date(2008, 6, 30)) == date(2008, 6, 2)  # contact 4 is still pending
    assert outcomes == [
        ("2008-05-05", False),  # contact 9, reported
        ("2008-05-05", True),  # contact 0, as reported
        ("2008-05-05", True),  # contact 1, the export
        ("2008-06-02", False),  # contact 2, the export
    ]
