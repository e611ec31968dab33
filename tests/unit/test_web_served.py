"""Scoring requests carrying the caller's contact id, on fakes: the id is checked and echoed, each
score with an id is recorded with the id of the key that asked, and keys are named by their id."""

import csv
import io
import math
from datetime import date

import pytest

from chaos.bootstrap import web_worker
from chaos.domain.socio_eco import SocioEcoIndicators
from chaos.entrypoints.web.app_factory import create_app
from chaos.entrypoints.web.appetence_schema import EXAMPLE_REQUEST
from chaos.infrastructure.api_keys import DEMO_KEY, DEMO_KEY_HASH, KeyRing, default_key_id, key_hash
from chaos.infrastructure.config import Settings
from chaos.infrastructure.config.settings import ApiSettings, ScopedKey
from tests.fakes import FakeScoringModel, InMemoryServedRecord, InMemorySocioEcoRepository
from tests.web_clients import keyed_client

MAY = SocioEcoIndicators(date(2008, 5, 31), 1.1, 93.994, -36.4)
BODY = {**EXAMPLE_REQUEST, "date": "2008-06-15"}


@pytest.fixture
def record():
    return InMemoryServedRecord()


@pytest.fixture
def served(record):
    worker = web_worker(
        Settings(), model=FakeScoringModel(), repository=InMemorySocioEcoRepository([MAY]), served=record
    )
    yield keyed_client(create_app(worker)), worker
    assert worker.served is not None
    worker.served.close()


def test_a_score_with_an_id_is_echoed_and_recorded_with_the_key_id(served, record):
    client, worker = served
    answer = client.post("/appetence", json={**BODY, "id": 3})
    assert answer.status_code == 200, answer.json
    assert answer.json["id"] == 3
    worker.served.close()
    (kept,) = record.scores
    assert (kept.contact_id, kept.probability) == (3, answer.json["appetence"])
    assert kept.probability == pytest.approx(1 / (1 + math.exp(-kept.log_odds)))  # uncalibrated: sigmoid
    assert kept.key_id == default_key_id(DEMO_KEY_HASH) and DEMO_KEY not in kept.key_id
    assert kept.contact_date == date(2008, 6, 15)


def test_a_score_without_an_id_is_not_recorded_and_echoes_none(served, record):
    client, worker = served
    answer = client.post("/appetence", json=BODY)
    assert answer.status_code == 200 and "id" not in answer.json
    worker.served.close()
    assert record.scores == []


@pytest.mark.parametrize("bad", [-1, 2**63, "12", 1.5])
def test_an_id_that_is_not_a_contact_id_is_a_422_naming_it(served, bad):
    client, _ = served
    answer = client.post("/appetence", json={**BODY, "id": bad})
    assert answer.status_code == 422
    assert any(error["field"] == "id" for error in answer.json["errors"])


def test_a_batch_row_s_bad_id_names_its_row(served):
    client, _ = served
    answer = client.post("/appetence/batch", json={"customers": [{**BODY, "id": 1}, {**BODY, "id": -4}]})
    assert answer.status_code == 422
    assert [(error["row"], error["field"]) for error in answer.json["errors"]] == [(1, "id")]


def test_a_csv_id_column_is_echoed_as_csv(served, record):
    client, worker = served
    body = "id,date,balance,has_default,has_housing_loan,nb_contact,nb_day_last_contact,"
    body += "nb_contact_last_campaign\n"
    body += "77,2008-06-15,100,false,true,1,-1,0\n,2008-06-15,100,false,true,1,-1,0\n"
    answer = client.post(
        "/appetence/batch", data=body, content_type="text/csv", headers={"Accept": "text/csv"}
    )
    assert answer.status_code == 200, answer.get_data(as_text=True)
    lines = answer.get_data(as_text=True).splitlines()
    assert [line.split(",")[0] for line in lines] == ["id", "77", ""]
    worker.served.close()
    assert [score.contact_id for score in record.scores] == [77]


TOO_OLD = {**BODY, "date": "2008-09-15"}
"""May's indicators, 107 days old: beyond the 62-day limit."""


def test_a_list_with_a_row_too_old_comes_back_whole_with_ids_and_only_scores_recorded(served, record):
    client, worker = served
    rows = [{**BODY, "id": 11}, {**TOO_OLD, "id": 12}, {**BODY, "id": 13}]
    answer = client.post("/appetence/batch", json={"customers": rows})
    assert answer.status_code == 200, answer.json
    results = answer.json["results"]
    assert [result["id"] for result in results] == [11, 12, 13]
    assert [result["appetence"] is None for result in results] == [False, True, False]
    assert [result["problem"] and result["problem"]["type"] for result in results] == [
        None,
        "urn:chaos:problem:stale-indicators",
        None,
    ]
    worker.served.close()
    assert [score.contact_id for score in record.scores] == [11, 13]


def test_the_same_list_as_csv_keeps_the_id_column_and_names_the_row_s_problem(served, record):
    client, worker = served
    body = "id,date,balance,has_default,has_housing_loan,nb_contact,nb_day_last_contact,"
    body += "nb_contact_last_campaign\n"
    for contact_id, day in ((21, "2008-06-15"), (22, "2008-09-15"), (23, "2008-06-15")):
        body += f"{contact_id},{day},100,false,true,1,-1,0\n"
    answer = client.post(
        "/appetence/batch", data=body, content_type="text/csv", headers={"Accept": "text/csv"}
    )
    assert answer.status_code == 200, answer.get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(answer.get_data(as_text=True))))
    assert [(row["id"], row["appetence"] == "", row["problem"]) for row in rows] == [
        ("21", False, ""),
        ("22", True, "urn:chaos:problem:stale-indicators"),
        ("23", False, ""),
    ]
    assert "107 days earlier" in rows[1]["problem_detail"]
    worker.served.close()
    assert [score.contact_id for score in record.scores] == [21, 23]


def test_the_bank_export_s_leading_index_is_echoed_as_the_id(served):
    client, _ = served
    body = ";date;balance;defaut;pret_immo;nb_contact;nb_j_dernier_contact;nb_contact_derniere_campagne\n"
    body += "5;2008-06-15;100;No;Yes;1;-1;0\n6;2008-09-15;100;No;Yes;1;-1;0\n"
    answer = client.post("/appetence/batch", data=body.encode("latin-1"), content_type="text/csv")
    assert answer.status_code == 200, answer.json
    assert [(result["id"], result["problem"] is None) for result in answer.json["results"]] == [
        (5, True),
        (6, False),
    ]


def test_a_key_is_named_by_its_configured_id_else_by_its_hash_prefix():
    named = ScopedKey(hash=key_hash("named-key"), scopes=["score"], id="campaign-tool")
    ring = KeyRing(ApiSettings(keys=[named, key_hash("plain-key")]).grants())
    assert ring.caller("named-key").key_id == "campaign-tool"
    assert ring.caller("plain-key").key_id == key_hash("plain-key")[len("sha256:") :][:12]
    assert ring.caller("stranger") is None


@pytest.mark.parametrize("bad", ["", "has space", "x" * 65, "sha256:abc"])
def test_a_key_id_outside_the_pattern_is_refused(bad):
    with pytest.raises(ValueError, match="id"):
        ScopedKey(hash=key_hash("named-key"), scopes=["score"], id=bad)
