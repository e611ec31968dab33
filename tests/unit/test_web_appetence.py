"""`POST /appetence` through Flask's test client, on the fake model and the in-memory repository."""

import json
from datetime import date, timedelta
from unittest.mock import ANY

import pytest

from chaos.bootstrap import web_worker
from chaos.domain.features import CUSTOMER_FEATURES, MODEL_FEATURES
from chaos.domain.socio_eco import SocioEcoIndicators
from chaos.entrypoints.web.app_factory import create_app
from chaos.entrypoints.web.appetence_schema import (
    EXAMPLE_REQUEST,
    MAX_DAYS_AHEAD,
    MAX_UNKNOWN_FIELDS_LISTED,
    REQUIRED,
)
from chaos.infrastructure.config import Settings
from tests.fakes import FakeScoringModel, InMemorySocioEcoRepository, last_month
from tests.web_clients import UNCALIBRATED, keyed_client

MAY = SocioEcoIndicators(date(2008, 5, 31), 1.1, 93.994, -36.4)
JULY = SocioEcoIndicators(date(2008, 7, 31), 1.4, 93.918, -42.7)
PROBLEM = "application/problem+json"


@pytest.fixture
def model():
    return FakeScoringModel(scorer=lambda features: (features["employment_variation_rate"] + 2) / 10)


@pytest.fixture
def repository():
    return InMemorySocioEcoRepository([MAY, JULY, last_month()])


@pytest.fixture
def client(model, repository):
    return keyed_client(create_app(web_worker(Settings(), model=model, repository=repository)))


def post(client, body, **kwargs):
    return client.post("/appetence", json=body, **kwargs)


def test_the_example_is_scored_with_the_as_of_indicators(client, model):
    response = post(client, {**EXAMPLE_REQUEST, "date": "2008-06-15"})
    assert response.status_code == 200, response.json
    assert response.json == {
        "appetence": pytest.approx(0.31),
        "model_version": "fake-1",
        "socio_eco_date": "2008-05-31",
        "calibration": UNCALIBRATED,
    }
    (features,) = model.seen
    assert set(features) == set(MODEL_FEATURES)
    assert features["job_type"] == "Technicien"
    assert features["employment_variation_rate"] == MAY.employment_variation_rate


def test_the_date_defaults_to_today(client):
    response = post(client, EXAMPLE_REQUEST)
    assert response.status_code == 200
    assert response.json["socio_eco_date"] == last_month().date.isoformat()


def test_indicators_older_than_the_limit_are_a_problem_naming_their_age(model):
    stale = keyed_client(
        create_app(web_worker(Settings(), model=model, repository=InMemorySocioEcoRepository([MAY, JULY])))
    )
    response = post(stale, EXAMPLE_REQUEST)
    assert (response.status_code, response.mimetype) == (422, PROBLEM)
    today = date.today()
    assert response.json["type"] == "urn:chaos:problem:stale-indicators"
    assert response.json["socio_eco_date"] == "2008-07-31"
    assert response.json["age_days"] == (today - JULY.date).days
    assert response.json["max_age_days"] == 62
    assert response.json["newest_month"] == "2008-07-31"
    assert f"{(today - JULY.date).days} days" in response.json["detail"]
    assert model.seen == []
    fresh_enough = post(stale, {**EXAMPLE_REQUEST, "date": "2008-09-30"})  # 61 days after July
    assert (fresh_enough.status_code, fresh_enough.json["socio_eco_date"]) == (200, "2008-07-31")
    assert post(stale, {**EXAMPLE_REQUEST, "date": "2008-10-02"}).status_code == 422  # 63 days


def test_the_freshness_limit_is_a_setting(model):
    settings = Settings(socio_eco={"max_age_days": 10})
    client = keyed_client(
        create_app(web_worker(settings, model=model, repository=InMemorySocioEcoRepository([MAY])))
    )
    assert post(client, {**EXAMPLE_REQUEST, "date": "2008-06-10"}).status_code == 200
    response = post(client, {**EXAMPLE_REQUEST, "date": "2008-06-11"})
    assert (response.status_code, response.json["max_age_days"], response.json["age_days"]) == (422, 10, 11)


def test_labels_are_trimmed_case_insensitive_and_given_their_training_spelling(client, model):
    body = {**EXAMPLE_REQUEST, "job_type": "  RETRAITÉ ", "status": "célibataire", "contact": "fixe"}
    assert post(client, body).status_code == 200
    assert {name: model.seen[0][name] for name in ("job_type", "status", "contact")} == {
        "job_type": "Retraité",
        "status": "Célibataire",
        "contact": "Fixe",
    }


def test_yes_no_spellings_are_flags(client, model):
    assert (
        post(client, {**EXAMPLE_REQUEST, "has_default": " Oui", "has_housing_loan": "no"}).status_code == 200
    )
    assert (model.seen[0]["has_default"], model.seen[0]["has_housing_loan"]) == (True, False)


def test_optional_fields_may_be_omitted_and_reach_the_model_as_unknown(client, model):
    required_only = {name: value for name, value in EXAMPLE_REQUEST.items() if name in REQUIRED}
    assert post(client, required_only).status_code == 200
    unknown = {name for name, value in model.seen[0].items() if value is None}
    assert unknown == set(CUSTOMER_FEATURES) - REQUIRED


def test_integers_written_with_a_zero_fraction_are_integers(client, model):
    assert post(client, {**EXAMPLE_REQUEST, "age": 41.0, "balance": -530.0}).status_code == 200
    assert [(model.seen[0][name], type(model.seen[0][name])) for name in ("age", "balance")] == [
        (41, int),
        (-530, int),
    ]


def test_required_fields_are_named_when_missing(client):
    response = post(client, {})
    assert response.status_code == 422
    assert {error["field"] for error in response.json["errors"]} == set(REQUIRED)
    assert all(error["message"] == "Field required" for error in response.json["errors"])


def test_labels_are_those_of_the_loaded_model(repository):
    retrained = FakeScoringModel(vocabulary={**FakeScoringModel().vocabulary, "job_type": ["Astronaute"]})
    client = keyed_client(create_app(web_worker(Settings(), model=retrained, repository=repository)))
    assert post(client, {**EXAMPLE_REQUEST, "job_type": "astronaute"}).status_code == 200
    refused = post(client, EXAMPLE_REQUEST)
    assert refused.status_code == 422
    assert refused.json["errors"] == [
        {
            "field": "job_type",
            "message": "'Technicien' is not a job_type the model knows (null means unknown)",
            "allowed": ["Astronaute", None],
        }
    ]


def test_every_bad_field_is_named_with_what_is_allowed(client):
    body = {**EXAMPLE_REQUEST, "age": 12, "balance": "a lot", "contact": "pigeon", "colour": "blue"}
    response = post(client, body)
    assert response.status_code == 422
    assert response.content_type == PROBLEM
    problem = response.json
    assert (problem["type"], problem["title"], problem["status"]) == (
        "urn:chaos:problem:invalid-fields",
        "Invalid fields",
        422,
    )
    errors = {error["field"]: error for error in problem["errors"]}
    assert set(errors) == {"age", "balance", "contact", "colour"}
    assert errors["age"]["allowed"] == "an integer from 18 to 120, or null"
    assert errors["balance"]["message"] == "Input should be a valid integer"
    assert errors["contact"]["allowed"] == ["Portable", "Fixe", None]
    assert errors["colour"]["message"] == "unknown field"
    assert "age" in errors["colour"]["allowed"]


@pytest.mark.parametrize(
    "age, message",
    [(17, "Input should be greater than or equal to 18"), (121, "Input should be less than or equal to 120")],
)
def test_an_age_out_of_range_is_a_422_naming_the_range(client, model, age, message):
    response = post(client, {**EXAMPLE_REQUEST, "age": age})
    assert (response.status_code, response.content_type) == (422, PROBLEM)
    assert response.json == {
        "type": "urn:chaos:problem:invalid-fields",
        "title": "Invalid fields",
        "status": 422,
        "detail": "1 problem(s) with age; see `errors` for what each field accepts",
        "errors": [{"field": "age", "message": message, "allowed": "an integer from 18 to 120, or null"}],
        "error_count": 1,
    }
    assert model.seen == []


def test_many_unknown_fields_are_summarised_after_the_first_ones(client):
    response = post(
        client, {**EXAMPLE_REQUEST, **{f"extra{i}": i for i in range(MAX_UNKNOWN_FIELDS_LISTED + 7)}}
    )
    assert response.status_code == 422
    errors = response.json["errors"]
    named = [error["field"] for error in errors if error["message"] == "unknown field"]
    assert named == [f"extra{i}" for i in range(MAX_UNKNOWN_FIELDS_LISTED)]
    assert errors[-1] == {"field": "body", "message": "7 more unknown fields, not listed", "allowed": ANY}


def test_a_date_more_than_a_year_ahead_is_refused(model, repository):
    settings = Settings(socio_eco={"max_age_days": 36_500})  # the freshness limit is not under test
    client = keyed_client(create_app(web_worker(settings, model=model, repository=repository)))
    limit = date.today() + timedelta(days=MAX_DAYS_AHEAD)
    assert post(client, {**EXAMPLE_REQUEST, "date": limit.isoformat()}).status_code == 200
    response = post(client, {**EXAMPLE_REQUEST, "date": (limit + timedelta(days=1)).isoformat()})
    assert response.status_code == 422
    (error,) = response.json["errors"]
    assert error["field"] == "date"
    assert f"dates may be at most {MAX_DAYS_AHEAD} days ahead" in error["message"]


def test_duration_contact_is_refused_with_the_reason(client):
    response = post(client, {**EXAMPLE_REQUEST, "duration_contact": 261})
    assert response.status_code == 422
    assert "known only after the call" in response.json["errors"][0]["message"]


def test_a_date_before_any_indicators_is_a_422_naming_the_known_range(client):
    response = post(client, {**EXAMPLE_REQUEST, "date": "2008-04-30"})
    assert response.status_code == 422
    assert response.json["type"] == "urn:chaos:problem:no-indicators"
    assert f"2008-05-31 to {last_month().date}" in response.json["detail"]
    assert response.json["errors"][0]["field"] == "date"
    assert response.json["errors"][0]["allowed"] == "a date on or after 2008-06-01"


def test_an_unreachable_database_is_a_503_with_retry_after_and_no_score(client, repository, model):
    repository.available = False
    response = post(client, EXAMPLE_REQUEST)
    assert response.status_code == 503
    assert response.content_type == PROBLEM
    assert int(response.headers["Retry-After"]) > 0
    assert "appetence" not in response.json
    assert model.seen == []


def test_a_model_failure_is_a_500_problem_without_internals(repository):
    def broken(features):
        raise RuntimeError("secret internals")

    client = keyed_client(
        create_app(web_worker(Settings(), model=FakeScoringModel(scorer=broken), repository=repository))
    )
    response = post(client, EXAMPLE_REQUEST)
    assert response.status_code == 500
    assert response.content_type == PROBLEM
    assert "secret" not in response.get_data(as_text=True)


VALID = json.dumps(EXAMPLE_REQUEST)
HOSTILE = {
    "malformed JSON": (VALID[:-1], "application/json", 400),
    "trailing garbage": (VALID + "x", "application/json", 400),
    "not UTF-8": (b'{"job_type": "\xff"}', "application/json", 400),
    "empty body": ("", "application/json", 400),
    "JSON array": ("[]", "application/json", 422),
    "JSON string": ('"hello"', "application/json", 422),
    "null body": ("null", "application/json", 422),
    "empty object": ("{}", "application/json", 422),
    "wrong type: age as text": (json.dumps({**EXAMPLE_REQUEST, "age": "41"}), "application/json", 422),
    "wrong type: age as float": (json.dumps({**EXAMPLE_REQUEST, "age": 41.5}), "application/json", 422),
    "wrong type: flag as number": (
        json.dumps({**EXAMPLE_REQUEST, "has_default": 1}),
        "application/json",
        422,
    ),
    "wrong type: label as number": (json.dumps({**EXAMPLE_REQUEST, "job_type": 7}), "application/json", 422),
    "wrong type: date": (json.dumps({**EXAMPLE_REQUEST, "date": "15/06/2008"}), "application/json", 422),
    "impossible date": (json.dumps({**EXAMPLE_REQUEST, "date": "2008-02-30"}), "application/json", 422),
    "unknown label": (json.dumps({**EXAMPLE_REQUEST, "education": "Doctorat"}), "application/json", 422),
    "empty label": (json.dumps({**EXAMPLE_REQUEST, "education": "  "}), "application/json", 422),
    "out of range: age": (json.dumps({**EXAMPLE_REQUEST, "age": 300}), "application/json", 422),
    "out of range: nb_contact": (json.dumps({**EXAMPLE_REQUEST, "nb_contact": -5}), "application/json", 422),
    "huge number": (VALID.replace('"balance": 1250', '"balance": 1e400'), "application/json", 422),
    "required field null": (json.dumps({**EXAMPLE_REQUEST, "balance": None}), "application/json", 422),
    "unknown field": (json.dumps({**EXAMPLE_REQUEST, "score": 1}), "application/json", 422),
    "wrong content type": (VALID, "text/plain", 415),
    "form post": ("age=41", "application/x-www-form-urlencoded", 415),
    "no content type": (VALID, None, 415),
    "too large": (json.dumps({**EXAMPLE_REQUEST, "job_type": "x" * 100_000}), "application/json", 413),
}


@pytest.mark.parametrize("body, content_type, status", HOSTILE.values(), ids=HOSTILE.keys())
def test_bad_input_gets_a_4xx_problem_never_a_500(client, model, body, content_type, status):
    headers = {"Content-Type": content_type} if content_type else {}
    response = client.post("/appetence", data=body, headers=headers)
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.content_type == PROBLEM
    problem = response.json
    assert problem["status"] == status
    assert problem["title"] and problem["detail"] and problem["type"]
    if status == 422:
        assert problem["errors"] and all(error["field"] and error["message"] for error in problem["errors"])
    assert model.seen == []


@pytest.mark.parametrize("method, path, status", [("GET", "/appetence", 405), ("GET", "/nowhere", 404)])
def test_routing_errors_are_problems_too(client, method, path, status):
    response = client.open(path, method=method)
    assert response.status_code == status
    assert response.content_type == PROBLEM
    assert response.json["status"] == status
