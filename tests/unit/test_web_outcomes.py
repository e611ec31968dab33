"""`POST /outcomes`: reports recorded all at once, idempotent by contact id, conflicts refused unless
replaced, every bad input a 4xx naming its row with nothing written, and only for keys that may
report outcomes."""

import csv
import io
from datetime import date, timedelta

import pytest

from chaos.bootstrap import web_worker
from chaos.domain.outcome import Outcome
from chaos.domain.reported_outcome import Call, ReportedOutcome
from chaos.entrypoints.web.app_factory import create_app
from chaos.entrypoints.web.appetence_schema import EXAMPLE_REQUEST
from chaos.infrastructure.api_keys import key_hash, new_key
from chaos.infrastructure.config import Settings
from chaos.infrastructure.config.settings import ApiSettings
from tests.fakes import FakeScoringModel, InMemoryOutcomeBook, InMemorySocioEcoRepository
from tests.web_clients import keyed_client

REPORTER, SCORER = new_key(), new_key()
DAY = "2026-11-30"
SCORED = {**EXAMPLE_REQUEST, "date": DAY}
"""A contact as it was scored: the example customer, on a past day."""


def row(contact_id: int, outcome: str, **fields) -> dict:
    return {"id": contact_id, "outcome": outcome, **SCORED, **fields}


@pytest.fixture
def book():
    return InMemoryOutcomeBook()


def app_for(book, max_rows=10_000):
    keys = [
        {"hash": key_hash(REPORTER), "scopes": ["report_outcomes"]},
        {"hash": key_hash(SCORER), "scopes": ["score"]},
    ]
    settings = Settings(api=ApiSettings(keys=keys, batch_max_rows=max_rows))
    return create_app(
        web_worker(settings, model=FakeScoringModel(), repository=InMemorySocioEcoRepository(), outcomes=book)
    )


@pytest.fixture
def client(book):
    return keyed_client(app_for(book), REPORTER)


def report(client, *rows, replace=None):
    query = "" if replace is None else f"?replace={replace}"
    return client.post(f"/outcomes{query}", json={"outcomes": list(rows)})


def test_new_contacts_are_recorded_with_their_fields_as_scored(client, book):
    response = report(client, row(1, "Souscrit"), row(2, "En Attente", age=67))
    assert response.status_code == 200, response.json
    assert response.json == {"count": 2, "new": 2, "resolved": 0, "unchanged": 0, "replaced": 0}
    assert book.outcomes[1].outcome is Outcome.SUBSCRIBED
    assert book.outcomes[2].call == Call(
        date(2026, 11, 30), {**{k: v for k, v in EXAMPLE_REQUEST.items()}, "age": 67}
    )


def test_the_same_report_again_changes_nothing(client, book):
    report(client, row(1, "Refus"))
    writes = book.writes
    again = report(client, row(1, "Refus"))
    assert again.json == {"count": 1, "new": 0, "resolved": 0, "unchanged": 1, "replaced": 0}
    assert book.writes == writes


def test_a_resolved_status_replaces_a_pending_one_even_sent_alone(client, book):
    report(client, row(1, "En Attente"), row(2, "En Attente"))
    response = report(client, {"id": 1, "outcome": "Souscrit"}, row(2, "Absent"))
    assert response.json == {"count": 2, "new": 0, "resolved": 2, "unchanged": 0, "replaced": 0}
    assert book.outcomes[1].outcome is Outcome.SUBSCRIBED
    assert book.outcomes[1].call is not None  # the fields of the first report are kept


@pytest.mark.parametrize(
    ("second", "said"),
    [
        ({"id": 1, "outcome": "Souscrit"}, "is already resolved as 'Refus', not 'Souscrit'"),
        ({"id": 1, "outcome": "En Attente"}, "is already resolved as 'Refus', not 'En Attente'"),
        (row(1, "Refus", age=42), "was reported with other fields: age 41 then 42"),
    ],
    ids=["other resolved status", "pending after resolution", "other fields"],
)
def test_a_report_changing_what_is_known_is_a_409_naming_the_row_and_writes_nothing(
    client, book, second, said
):
    report(client, row(1, "Refus"), row(7, "En Attente"))
    before = dict(book.outcomes)
    response = report(client, row(9, "Souscrit"), second)
    assert response.status_code == 409
    assert response.content_type == "application/problem+json"
    assert response.json["errors"] == [{"row": 1, "field": "outcome", "message": f"contact 1 {said}"}]
    assert book.outcomes == before  # not even the new contact 9


def test_replace_true_applies_the_change(client, book):
    report(client, row(1, "Refus"))
    response = report(client, row(1, "Souscrit", age=42), replace="true")
    assert response.json == {"count": 1, "new": 0, "resolved": 0, "unchanged": 0, "replaced": 1}
    assert book.outcomes[1].outcome is Outcome.SUBSCRIBED
    assert book.outcomes[1].call.features["age"] == 42


def test_replace_takes_true_or_false_only(client, book):
    response = report(client, row(1, "Refus"), replace="yes")
    assert response.status_code == 422
    assert response.json["errors"][0]["field"] == "replace"
    assert book.outcomes == {}


def bad(name: str, rows: list, field: str, message: str, bad_row: int = 1):
    return pytest.param(rows, bad_row, field, message, id=name)


TOMORROW = (date.today() + timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("rows", "bad_row", "field", "message"),
    [
        bad(
            "unknown contact, no fields",
            [row(1, "Refus"), {"id": 5, "outcome": "Refus"}],
            "id",
            "contact 5 is unknown",
        ),
        bad("date in the future", [row(1, "Refus"), row(2, "Refus", date=TOMORROW)], "date", "in the future"),
        bad(
            "status outside the five",
            [row(1, "Refus"), row(2, "Rappel")],
            "outcome",
            "unknown outcome 'Rappel'",
        ),
        bad("duplicate id", [row(1, "Refus"), row(1, "Refus")], "id", "contact 1 already on row 0"),
        bad(
            "some fields only",
            [row(1, "Refus"), {"id": 2, "outcome": "Refus", "age": 41}],
            "report",
            "missing: ",
        ),
        bad("negative id", [row(1, "Refus"), row(-2, "Refus")], "id", "greater than or equal to 0"),
        bad(
            "label the model never saw",
            [row(1, "Refus"), row(2, "Refus", job_type="Pirate")],
            "job_type",
            "Pirate",
        ),
    ],
)
def test_bad_input_is_a_422_naming_the_row_and_nothing_is_written(
    client, book, rows, bad_row, field, message
):
    response = report(client, *rows)
    assert response.status_code == 422, response.json
    assert response.content_type == "application/problem+json"
    (error,) = response.json["errors"]
    assert (error["row"], error["field"]) == (bad_row, field)
    assert message in error["message"]
    assert book.outcomes == {}


def test_a_scoring_key_gets_a_403_naming_the_scope_and_nothing_is_written(book):
    response = keyed_client(app_for(book), SCORER).post("/outcomes", json={"outcomes": [row(1, "Refus")]})
    assert response.status_code == 403
    assert response.json["scope"] == "report_outcomes"
    assert book.outcomes == {}


def test_a_reporting_key_gets_a_403_on_scoring(book):
    response = keyed_client(app_for(book), REPORTER).post("/appetence", json=EXAMPLE_REQUEST)
    assert response.status_code == 403
    assert response.json["scope"] == "score"


def test_more_rows_than_the_limit_is_a_413_and_nothing_is_written(book):
    client = keyed_client(app_for(book, max_rows=2), REPORTER)
    response = report(client, row(1, "Refus"), row(2, "Refus"), row(3, "Refus"))
    assert response.status_code == 413
    assert book.outcomes == {}


def test_many_bad_rows_get_a_bounded_answer(client, book):
    response = report(client, *(row(number, "Rappel") for number in range(500)))
    assert response.status_code == 422
    assert len(response.json["errors"]) == 100
    assert response.json["error_count"] == 500


def export_csv(rows: list[list[str]]) -> bytes:
    """The bank's export as it comes: `;`, Latin-1, French headers, the index as first column."""
    header = [
        "", "date", "age", "job", "relation", "education", "defaut", "balance", "pret_immo", "pret_perso",
        "contact", "duree_contact", "nb_contact", "nb_j_dernier_contact", "nb_contact_derniere_campagne",
        "resultat_derniere_campagne", "statut",
    ]  # fmt: skip
    output = io.StringIO()
    csv.writer(output, delimiter=";").writerows([header, *rows])
    return output.getvalue().encode("latin-1")


def export_row(index: int, status: str, job: str = "Technicien") -> list[str]:
    return [str(index), DAY, "41", job, "Marié", "Secondaire", "No", "1250", "Yes", "No", "Portable", "261",
            "2", "-1", "0", "", status]  # fmt: skip


def test_the_banks_export_is_read_as_it_is(client, book):
    response = client.post(
        "/outcomes", data=export_csv([export_row(10, "Souscrit"), export_row(11, "En Attente")]),
        content_type="text/csv",
    )  # fmt: skip
    assert response.status_code == 200, response.json
    assert response.json["new"] == 2
    assert response.headers["X-Ignored-Columns"] == "duree_contact"
    assert book.outcomes[10] == ReportedOutcome(10, Outcome.SUBSCRIBED, book.outcomes[10].call)
    assert book.outcomes[10].call.features == {**EXAMPLE_REQUEST}


def test_a_csv_cell_that_looks_like_a_formula_is_refused_naming_the_row(client, book):
    body = export_csv([export_row(10, "Souscrit"), export_row(11, "Refus", job='=HYPERLINK("http://x")')])
    response = client.post("/outcomes", data=body, content_type="text/csv")
    assert response.status_code == 422
    (error,) = response.json["errors"]
    assert (error["row"], error["field"]) == (1, "job")
    assert "formula" in error["message"]
    assert book.outcomes == {}


def test_a_csv_without_contact_ids_is_refused(client, book):
    body = "outcome,date\nRefus,2026-11-30\n"
    response = client.post("/outcomes", data=body, content_type="text/csv")
    assert response.status_code == 422
    assert response.json["errors"][0]["field"] == "id"
    assert book.outcomes == {}


def test_other_media_types_are_a_415(client, book):
    response = client.post("/outcomes", data="id=1", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    assert book.outcomes == {}


@pytest.mark.parametrize(
    ("rows", "field", "message"),
    [
        ([export_row(10, "Souscrit"), export_row(11, "Rappel")], "statut", "'Rappel' is not a status"),
        ([export_row(10, "Souscrit"), export_row(10, "Refus")], "(row index)", "already on line 2"),
    ],
    ids=["status outside the five", "duplicate id"],
)
def test_bad_export_rows_are_named_and_nothing_is_written(client, book, rows, field, message):
    response = client.post("/outcomes", data=export_csv(rows), content_type="text/csv")
    assert response.status_code == 422, response.json
    (error,) = response.json["errors"]
    assert (error["row"], error["field"]) == (1, field)
    assert message in error["message"]
    assert book.outcomes == {}
