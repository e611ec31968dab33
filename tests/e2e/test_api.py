"""The API over HTTP(S), as a caller sees it: every documented answer of the served image, from the
base URL and key the suite is given (tests/e2e/target.py). The customer sent is the example of the
API's own OpenAPI document."""

import time

import pytest
import requests

PROBLEM = "application/problem+json"
BANK_EXPORT = (
    ";date;age;job;relation;education;defaut;balance;pret_immo;pret_perso;contact;duree_contact;"
    "nb_contact;nb_j_dernier_contact;nb_contact_derniere_campagne;resultat_derniere_campagne;statut\n"
    "0;;58;Manager ;Marié;Tertiaire;No;2143;Yes;No;;261;1;-1;0;;Refus\n"
    "1;;123;Technicien;;Secondaire;No;29;Yes;;;151;1;-1;0;;Souscrit\n"
    "2;;33;Retraité;Marié;Secondaire;No;2;Yes;Yes;Portable;0;1;-1;0;Echec;Absent\n"
)
"""Three rows of the bank's export as it comes: `;`-separated, Latin-1, French headers, its index (the
contact id),
`123` for an unknown age, and the columns that are no model input (duree_contact, statut); no date,
so scored for today."""
OUTAGE_SECONDS = 45
"""How long a score may still be answered from the indicators' cache once the database is gone."""


@pytest.fixture(scope="module")
def customer(target) -> dict:
    document = target.call("GET", "/openapi.json", keyed=False).json()
    return document["paths"]["/appetence"]["post"]["requestBody"]["content"]["application/json"]["example"]


def assert_problem(answer, status: int) -> dict:
    assert answer.status_code == status, answer.text
    assert answer.headers["Content-Type"].startswith(PROBLEM)
    problem = answer.json()
    assert problem["status"] == status and problem["title"]
    return problem


def test_health_and_readiness(target):
    assert target.call("GET", "/health", keyed=False).status_code == 200
    ready = target.call("GET", "/ready", keyed=False)
    assert ready.status_code == 200, ready.text
    assert ready.json()["model_version"]


def test_a_customer_is_scored(target, customer):
    answer = target.call("POST", "/appetence", json=customer)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert 0 <= body["appetence"] <= 1
    assert body["model_version"] and body["socio_eco_date"]


def test_a_json_batch_is_scored_in_order(target, customer):
    customers = [customer, {**customer, "age": 67}, {**customer, "balance": -300}]
    answer = target.call("POST", "/appetence/batch", json={"customers": customers})
    assert answer.status_code == 200, answer.text
    results = answer.json()["results"]
    assert len(results) == 3 and all(0 <= row["appetence"] <= 1 for row in results)


def test_a_row_that_cannot_be_scored_comes_back_with_its_problem_among_the_scores(target, customer):
    customers = [{**customer, "id": 1}, {**customer, "id": 2, "date": "2001-01-01"}, {**customer, "id": 3}]
    answer = target.call("POST", "/appetence/batch", json={"customers": customers})
    assert answer.status_code == 200, answer.text
    results = answer.json()["results"]
    assert [row["id"] for row in results] == [1, 2, 3]
    assert results[1]["appetence"] is None
    assert results[1]["problem"]["type"] == "urn:chaos:problem:no-indicators"
    assert all(0 <= row["appetence"] <= 1 and row["problem"] is None for row in (results[0], results[2]))


def test_the_bank_export_is_scored_as_it_comes(target):
    answer = target.call(
        "POST",
        "/appetence/batch",
        data=BANK_EXPORT.encode("latin-1"),
        headers={"Content-Type": "text/csv"},
    )
    assert answer.status_code == 200, answer.text
    assert [row["id"] for row in answer.json()["results"]] == [0, 1, 2]  # its index is the contact id
    assert answer.headers["X-Ignored-Columns"] == "duree_contact, statut"


def test_401_without_a_key(target, customer):
    answer = target.call("POST", "/appetence", keyed=False, json=customer)
    assert_problem(answer, 401)
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")


def test_403_for_an_unknown_key(target, customer):
    headers = {"Authorization": "Bearer not-a-key-of-this-deployment"}
    assert_problem(target.call("POST", "/appetence", keyed=False, json=customer, headers=headers), 403)


def test_413_for_a_body_too_large(target):
    body = b'{"padding": "' + b"x" * (1 << 20) + b'"}'
    answer = target.call("POST", "/appetence", data=body, headers={"Content-Type": "application/json"})
    assert_problem(answer, 413)


def test_415_for_a_body_that_is_not_json(target):
    answer = target.call("POST", "/appetence", data="age=41", headers={"Content-Type": "text/plain"})
    assert_problem(answer, 415)


def test_422_names_every_bad_field(target, customer):
    answer = target.call("POST", "/appetence", json={**customer, "age": 7, "contact": "Pigeon"})
    problem = assert_problem(answer, 422)
    assert {error["field"] for error in problem["errors"]} >= {"age", "contact"}


def test_404_for_an_unknown_path_and_an_unknown_model(target):
    assert target.call("GET", "/no-such-path").status_code == 404
    assert_problem(target.call("GET", "/models/no-such-version"), 404)


def test_metrics_count_the_answers_where_prometheus_scrapes(target):
    answer = requests.get(target.metrics_url + "/metrics", verify=target.verify, timeout=30)
    assert answer.status_code == 200
    assert "chaos_http_requests_total" in answer.text
    if target.metrics_url != target.url:  # behind the edge: internal pages stay off the public port
        assert target.call("GET", "/metrics", keyed=False).status_code == 404


def test_openapi_and_docs_are_served(target):
    document = target.call("GET", "/openapi.json", keyed=False).json()
    assert document["openapi"].startswith("3.") and "/appetence/batch" in document["paths"]
    docs = target.call("GET", "/docs/", keyed=False)
    assert docs.status_code == 200 and "swagger-ui" in docs.text


def test_503_while_the_database_is_stopped_then_scores_again(target, customer):
    with target.database_stopped():
        assert_problem(target.call("GET", "/ready", keyed=False), 503)
        answer = _first_answer_not(200, target, customer)
        assert_problem(answer, 503)
        assert int(answer.headers["Retry-After"]) > 0
        assert target.call("GET", "/health", keyed=False).status_code == 200
    assert _first_answer_not(503, target, customer).status_code == 200


def _first_answer_not(status: int, target, customer):
    """Scores until the answer is another status than `status` (bounded by OUTAGE_SECONDS)."""
    deadline = time.monotonic() + OUTAGE_SECONDS
    while (answer := target.call("POST", "/appetence", json=customer)).status_code == status:
        assert time.monotonic() < deadline, f"still {status} after {OUTAGE_SECONDS}s: {answer.text}"
        time.sleep(0.5)
    return answer
