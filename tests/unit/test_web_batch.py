"""`POST /appetence/batch`: JSON and CSV campaign lists, answered whole (a per-row problem for a row
chaos lacks the data to score) or refused naming every bad row."""

import csv
import io
import json
from datetime import date

import pytest

from chaos.bootstrap import web_worker
from chaos.domain.socio_eco import SocioEcoIndicators
from chaos.entrypoints.web.app_factory import create_app
from chaos.entrypoints.web.appetence_schema import EXAMPLE_REQUEST
from chaos.entrypoints.web.batch_schema import COLUMNS
from chaos.infrastructure.config import Settings
from chaos.infrastructure.config.settings import ApiSettings
from tests.fakes import VOCABULARY, FakeScoringModel, InMemorySocioEcoRepository
from tests.web_clients import keyed_client

MAY = SocioEcoIndicators(date(2008, 5, 31), 1.1, 93.994, -36.4)
JULY = SocioEcoIndicators(date(2008, 7, 31), 1.4, 93.918, -42.7)


class CountingModel(FakeScoringModel):
    def __init__(self):
        super().__init__(scorer=lambda features: (features["employment_variation_rate"] + 2) / 10)
        self.calls = 0

    def log_odds_many(self, rows):
        self.calls += 1
        return super().log_odds_many(rows)


@pytest.fixture
def model():
    return CountingModel()


@pytest.fixture
def repository():
    return InMemorySocioEcoRepository([MAY, JULY])


def client_for(model, repository, max_rows=10_000):
    settings = Settings(api=ApiSettings(batch_max_rows=max_rows))
    return keyed_client(create_app(web_worker(settings, model=model, repository=repository)))


@pytest.fixture
def client(model, repository):
    return client_for(model, repository)


def customers(*dates):
    return [{**EXAMPLE_REQUEST, "date": day} for day in dates]


def csv_body(rows: list[dict]) -> str:
    output = io.StringIO()
    writer = csv.DictWriter(output, fieldnames=COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow({name: "" if row.get(name) is None else row[name] for name in COLUMNS})
    return output.getvalue()


def test_a_json_list_is_scored_in_order_with_one_read_and_one_model_call(client, model, repository):
    response = client.post(
        "/appetence/batch", json={"customers": customers("2008-06-15", "2008-08-01", "2008-06-02")}
    )
    assert response.status_code == 200, response.json
    assert response.json["model_version"] == "fake-1"
    assert response.json["count"] == 3
    assert [row["socio_eco_date"] for row in response.json["results"]] == [
        "2008-05-31",
        "2008-07-31",
        "2008-05-31",
    ]
    assert [row["appetence"] for row in response.json["results"]] == pytest.approx([0.31, 0.34, 0.31])
    assert (repository.reads, model.calls) == (1, 1)
    assert response.headers["X-Model-Version"] == "fake-1"


def test_a_csv_list_is_answered_as_csv_with_an_appetence_column(client):
    rows = customers("2008-06-15", "2008-08-01")
    rows[1].update(job_type=" retraité ", has_default="non", result_last_campaign=None)
    response = client.post(
        "/appetence/batch", data=csv_body(rows), content_type="text/csv", headers={"Accept": "text/csv"}
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/csv"
    answered = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    extra = ["appetence", "calibration_shift", "calibration_window_days", "calibration_stale"]
    assert list(answered[0]) == ["id", *COLUMNS, *extra, "problem", "problem_detail"]
    assert [(row["problem"], row["problem_detail"]) for row in answered] == [("", "")] * 2
    assert [row["id"] for row in answered] == ["", ""]  # no id given, none echoed
    assert [
        (row["calibration_shift"], row["calibration_window_days"], row["calibration_stale"])
        for row in answered
    ] == [("0.0", "", "true")] * 2
    assert [float(row["appetence"]) for row in answered] == pytest.approx([0.31, 0.34])
    assert (answered[1]["job_type"], answered[1]["has_default"], answered[1]["age"]) == (
        "Retraité",
        "false",
        "41",
    )


def test_a_label_a_spreadsheet_would_run_is_answered_as_text(repository):
    formula = '=HYPERLINK("http://attacker.example","x")'  # learnt from data imported before the check
    model = FakeScoringModel(vocabulary={**VOCABULARY, "job_type": [formula]})
    client = client_for(model, repository)
    row = {**EXAMPLE_REQUEST, "date": "2008-06-15", "job_type": formula, "nb_day_last_contact": -1}
    response = client.post("/appetence/batch", json={"customers": [row]}, headers={"Accept": "text/csv"})
    assert response.status_code == 200, response.get_data(as_text=True)
    (answered,) = csv.DictReader(io.StringIO(response.get_data(as_text=True)))
    assert answered["job_type"] == "'" + formula
    assert answered["nb_day_last_contact"] == "-1"


def test_csv_in_json_out_by_default(client):
    response = client.post(
        "/appetence/batch", data=csv_body(customers("2008-06-15")), content_type="text/csv"
    )
    assert response.status_code == 200
    assert response.json["results"][0]["appetence"] == pytest.approx(0.31)


def test_every_bad_json_row_is_named_and_nothing_is_scored(client, model):
    rows = customers("2008-06-15", "2008-06-15", "2008-06-15", "2008-06-15")
    rows[1]["age"] = 12
    rows[3].update(contact="pigeon", balance="lots")
    response = client.post("/appetence/batch", json={"customers": rows})
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    named = sorted((error["row"], error["field"]) for error in response.json["errors"])
    assert named == [(1, "age"), (3, "balance"), (3, "contact")]
    assert model.calls == 0


def test_every_bad_csv_row_is_named(client, model):
    rows = customers("2008-06-15", "2008-13-01", "2008-06-15")
    rows[2]["nb_contact"] = "2.5"
    response = client.post("/appetence/batch", data=csv_body(rows), content_type="text/csv")
    assert response.status_code == 422
    assert sorted((error["row"], error["field"]) for error in response.json["errors"]) == [
        (1, "date"),
        (2, "nb_contact"),
    ]
    assert model.calls == 0


def test_a_csv_row_out_of_range_is_named_with_what_is_allowed_as_in_json(client, model):
    rows = customers("2008-06-15", "2008-06-15")
    rows[1]["age"] = 17
    for body in (csv_body(rows), json.dumps({"customers": rows})):
        content_type = "application/json" if body.startswith("{") else "text/csv"
        response = client.post("/appetence/batch", data=body, content_type=content_type)
        assert response.status_code == 422
        assert response.json["errors"] == [
            {
                "row": 1,
                **({"line": 3} if content_type == "text/csv" else {}),
                "field": "age",
                "message": "Input should be greater than or equal to 18",
                "allowed": "an integer from 18 to 120, or null",
            }
        ]
    assert model.calls == 0


def test_a_row_before_the_known_months_gets_its_problem_and_the_others_their_scores(client, model):
    response = client.post(
        "/appetence/batch", json={"customers": customers("2008-06-15", "2001-01-01", "2008-10-20")}
    )
    assert response.status_code == 200, response.json
    first, early, late = response.json["results"]
    assert (first["appetence"], first["problem"]) == (pytest.approx(0.31), None)
    assert early["appetence"] is early["socio_eco_date"] is early["calibration"] is None
    assert early["problem"]["type"] == "urn:chaos:problem:no-indicators"
    assert early["problem"]["errors"][0]["allowed"] == "a date on or after 2008-06-01"
    assert "status" not in early["problem"]
    assert late["problem"]["type"] == "urn:chaos:problem:stale-indicators"  # July's row, 81 days old
    assert (late["problem"]["age_days"], late["problem"]["max_age_days"]) == (81, 62)
    assert (response.json["count"], response.json["unscored"], model.calls) == (3, 2, 1)


def test_a_list_no_row_of_which_can_be_scored_is_still_answered_whole(client, model):
    response = client.post("/appetence/batch", json={"customers": customers("2001-01-01")})
    assert (response.status_code, response.json["unscored"], model.calls) == (200, 1, 0)


@pytest.mark.parametrize(
    "header, message",
    [
        ("age,colour", "unknown column"),
        ("age,job_type", "missing required column"),
    ],
)
def test_a_bad_csv_header_names_the_columns(client, header, message):
    response = client.post("/appetence/batch", data=header + "\n", content_type="text/csv")
    assert response.status_code == 422
    assert any(message in error["message"] for error in response.json["errors"])


@pytest.mark.parametrize(
    "body, content_type",
    [
        (",".join(COLUMNS) + "\n2008-06-15,Technicien\n", "text/csv"),  # a row shorter than the header
        (b"\xff\xfe", "text/csv"),
        ("", "text/csv"),
    ],
    ids=["ragged", "not-utf8", "empty"],
)
def test_unreadable_csv_is_a_422_problem(client, body, content_type):
    response = client.post("/appetence/batch", data=body, content_type=content_type)
    assert response.status_code == 422
    assert response.json["errors"]


@pytest.mark.parametrize(
    "body, status",
    [
        ('{"customers": [', 400),
        ("[]", 422),
        ('{"customers": []}', 422),
        ('{"customers": {}}', 422),
        ('{"clients": []}', 422),
    ],
)
def test_bad_json_documents(client, body, status):
    response = client.post("/appetence/batch", data=body, content_type="application/json")
    assert response.status_code == status
    assert response.content_type == "application/problem+json"


@pytest.mark.parametrize(
    "body, field, message",
    [
        ('{"customers": [{"age": [1]}]}', "age", "must be a single value, not a list or object"),
        ('{"customers": [{"age": {"a": 1}}]}', "age", "must be a single value, not a list or object"),
        ('{"customers": [[1]]}', "customer", "must be an object of fields, not a list"),
        ('{"customers": [], "customers": []}', "customers", "unknown field"),
        ('{"customers": [{}], "extra": 1}', "extra", "unknown field"),
        ("{}", "customers", "missing"),
        ("[]", "body", 'must be an object {"customers": [...]}'),
        ('{"customers": {}}', "customers", "must be a list of customers"),
        ('{"customers": []}', "customers", "no customer"),
        (json.dumps({"customers": [{f"f{i}": i for i in range(101)}]}), "customer", "more than 100 fields"),
    ],
)
def test_a_json_body_of_another_shape_is_refused_while_it_is_read(client, body, field, message):
    response = client.post("/appetence/batch", data=body, content_type="application/json")
    assert response.status_code == 422, response.json
    (error,) = response.json["errors"]
    assert (error["field"], message in error["message"]) == (field, True)


@pytest.mark.parametrize(
    "body",
    [
        '{"customers": [{}] } x',
        '{"customers": [{"age": NaN}]}',
        '{"customers": [{"age": 1' + "1" * 40 + "}]}",
    ],
)
def test_malformed_json_after_or_inside_the_list_is_a_400(client, body):
    assert client.post("/appetence/batch", data=body, content_type="application/json").status_code == 400


def test_malformed_json_is_located_by_line_and_column(client):
    body = '{"customers": [\n  {"age": 41},\n  {"age": 41, "job_type": Technicien}\n]}'
    response = client.post("/appetence/batch", data=body, content_type="application/json")
    assert (response.status_code, response.json["line"], response.json["column"]) == (400, 3, 27)
    assert response.json["detail"].endswith("at line 3 column 27")


def test_a_body_cut_short_is_located_at_its_end(client):
    response = client.post(
        "/appetence/batch", data='{"customers": [\n{"age": 41}', content_type="application/json"
    )
    assert (response.json["line"], response.json["column"]) == (2, 12)


def test_the_413_comes_at_the_first_row_past_the_limit_whatever_follows(model, repository):
    client = client_for(model, repository, max_rows=3)
    body = '{"customers": [' + ",".join(["{}"] * 4) + ", this is never read"
    response = client.post("/appetence/batch", data=body, content_type="application/json")
    assert response.status_code == 413
    lines = ",".join(COLUMNS) + "\n" + "x\n" * 4 + '"an unterminated quote'
    assert client.post("/appetence/batch", data=lines, content_type="text/csv").status_code == 413


def test_a_csv_line_longer_than_any_row_is_refused(client):
    body = ",".join(COLUMNS) + "\n" + "," * 70_000 + "\n"
    response = client.post("/appetence/batch", data=body, content_type="text/csv")
    assert response.status_code == 422
    assert "line 2 is longer than 65536 characters" in response.json["errors"][0]["message"]


def test_over_the_row_limit_is_a_413(model, repository):
    client = client_for(model, repository, max_rows=3)
    assert (
        client.post("/appetence/batch", json={"customers": customers(*["2008-06-15"] * 3)}).status_code == 200
    )
    too_many = customers(*["2008-06-15"] * 4)
    response = client.post("/appetence/batch", json={"customers": too_many})
    assert (response.status_code, response.json["type"], response.json["limit"]) == (
        413,
        "urn:chaos:problem:too-many-rows",
        3,
    )
    assert "at most 3" in response.json["detail"]
    response = client.post("/appetence/batch", data=csv_body(too_many), content_type="text/csv")
    assert response.status_code == 413


def test_a_body_larger_than_the_limit_allows_is_a_413_stating_the_limit(model, repository):
    client = client_for(model, repository, max_rows=1)
    response = client.post("/appetence/batch", data="x" * 5000, content_type="text/csv")
    assert (response.status_code, response.json["limit"]) == (413, 1024)
    assert response.json["type"] == "urn:chaos:problem:body-too-large"
    assert "limit of 1024 bytes" in response.json["detail"]


def test_the_limit_is_raised_for_batches_only(client):
    big = {"customers": customers(*["2008-06-15"] * 500)}  # ~150 kB: more than one customer may send
    assert client.post("/appetence/batch", json=big).status_code == 200
    assert client.post("/appetence", data="x" * 100_000, content_type="application/json").status_code == 413


def test_other_content_types_are_a_415(client):
    response = client.post("/appetence/batch", data="<customers/>", content_type="application/xml")
    assert response.status_code == 415


def test_a_database_outage_is_a_503_and_no_score(client, repository, model):
    repository.available = False
    response = client.post("/appetence/batch", json={"customers": customers("2008-06-15")})
    assert response.status_code == 503
    assert model.calls == 0
