"""Every problem chaos can answer is in the API guide as the app answers it: the guide's table is the
registry's (tests/guide/errors.py generates it), each registered problem is built here through the
app by the request the guide describes, and the guide's example of it has the app's type, title,
status and members. A problem registered without a request here, or without its example in the
guide, fails."""

import json
import re
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from flask.testing import FlaskClient

from chaos.bootstrap import web_worker
from chaos.entrypoints.web.app_factory import create_app
from chaos.entrypoints.web.appetence_schema import EXAMPLE_REQUEST
from chaos.entrypoints.web.problem_types import REGISTRY
from chaos.infrastructure.api_keys import DEMO_KEY, key_hash
from chaos.infrastructure.config import Settings
from chaos.infrastructure.config.settings import ApiSettings, OutcomeSettings
from tests.fakes import (
    FakeScoringModel,
    InMemoryCalibrationStore,
    InMemoryOutcomeBook,
    InMemorySocioEcoRepository,
    last_month,
)
from tests.guide.errors import GUIDE, table, written

REPORTER = "reporter-key"  # pragma: allowlist secret
DEMO = {"Authorization": f"Bearer {DEMO_KEY}"}
JSON_BODY = {**DEMO, "Content-Type": "application/json"}
REPORTED = {"id": 7, "outcome": "Souscrit", "date": str(date.today() - timedelta(days=1)), **EXAMPLE_REQUEST}
"""A contact reported with its fields before the requests below."""


class Service:
    """The app on fakes, as the guide's requests find it: the demo key (id `reporter`, at most 2
    reported outcomes a day), a key that may only report outcomes, contact 7 reported as subscribed,
    indicators up to last month."""

    def __init__(self, outcomes: bool = True, max_rows: int = 10_000):
        keys = [
            {
                "hash": key_hash(DEMO_KEY),
                "scopes": ["score", "report_outcomes", "read_models"],
                "id": "reporter",
            }
        ]
        keys.append({"hash": key_hash(REPORTER), "scopes": ["report_outcomes"]})
        self.book = InMemoryOutcomeBook()
        self.repository = InMemorySocioEcoRepository([last_month()])
        app = create_app(
            web_worker(
                Settings(
                    api=ApiSettings(keys=keys, batch_max_rows=max_rows),
                    outcomes=OutcomeSettings(max_daily_reports_per_key=2),
                ),
                model=FakeScoringModel(),
                repository=self.repository,
                calibrations=InMemoryCalibrationStore(),
                outcomes=self.book if outcomes else None,
            )
        )
        self.client: FlaskClient = app.test_client()
        if outcomes:
            assert (
                self.client.post("/outcomes", json={"outcomes": [REPORTED]}, headers=DEMO).status_code == 200
            )


def _score(body: object = EXAMPLE_REQUEST, path: str = "/appetence", **headers: str) -> Callable:
    return lambda service: service.client.post(path, json=body, headers={**DEMO, **headers})


def _report(*rows: dict) -> Callable:
    return lambda service: service.client.post("/outcomes", json={"outcomes": list(rows)}, headers=DEMO)


def _busy(service: Service):
    service.book.busy = True
    return _report({"id": 7, "outcome": "Souscrit"})(service)


def _database_down(path: str) -> Callable:
    def call(service: Service):
        service.repository.available = False
        if path == "/ready":
            return service.client.get(path)
        return _score()(service)

    return call


REQUESTS: dict[str, Callable] = {
    "urn:chaos:problem:malformed-json": lambda service: service.client.post(
        "/appetence", data=b'{"age": 41,\n "job_type": Technicien}', headers=JSON_BODY
    ),
    "urn:chaos:problem:missing-credentials": lambda service: service.client.post(
        "/appetence", json=EXAMPLE_REQUEST
    ),
    "urn:chaos:problem:malformed-credentials": lambda service: service.client.post(
        "/appetence", json=EXAMPLE_REQUEST, headers={"Authorization": "Basic Y2hhb3M6a2V5"}
    ),
    "urn:chaos:problem:unknown-key": _score(Authorization="Bearer not-a-key"),
    "urn:chaos:problem:missing-scope": _score(Authorization=f"Bearer {REPORTER}"),
    "urn:chaos:problem:unknown-model": _score(path="/appetence?model=20200101T000000Z"),
    "urn:chaos:problem:conflicting-outcomes": _report({"id": 7, "outcome": "Refus"}),
    "urn:chaos:problem:body-too-large": lambda service: service.client.post(
        "/appetence", data=b"[" + b"1," * 40_000 + b"1]", headers=JSON_BODY
    ),
    "urn:chaos:problem:too-many-rows": lambda service: Service(max_rows=2).client.post(
        "/appetence/batch", json={"customers": [EXAMPLE_REQUEST] * 3}, headers=DEMO
    ),
    "urn:chaos:problem:unsupported-media-type": lambda service: service.client.post(
        "/appetence", data=json.dumps(EXAMPLE_REQUEST), headers={**DEMO, "Content-Type": "text/plain"}
    ),
    "urn:chaos:problem:invalid-fields": _score(
        {**EXAMPLE_REQUEST, "job_type": "Astronaute", "nb_contact": 0}
    ),
    "urn:chaos:problem:stale-indicators": _score(
        {**EXAMPLE_REQUEST, "date": str(date.today() + timedelta(days=200))}
    ),
    "urn:chaos:problem:no-indicators": _score({**EXAMPLE_REQUEST, "date": "2001-01-01"}),
    "urn:chaos:problem:unknown-contacts": _report({"id": 8, "outcome": "Refus"}),
    "urn:chaos:problem:report-volume-exceeded": _report(*({**REPORTED, "id": i} for i in (8, 9))),
    "urn:chaos:problem:reports-busy": _busy,
    "urn:chaos:problem:outcomes-not-kept": lambda service: _report(REPORTED)(Service(outcomes=False)),
    "urn:chaos:problem:database-unavailable": _database_down("/appetence"),
    "urn:chaos:problem:not-ready": _database_down("/ready"),
    "about:blank": lambda service: service.client.get("/campaigns", headers=DEMO),
}
"""The request the guide describes for each problem, on a fresh service."""


def documented() -> dict[str, dict]:
    """The guide's example answers, by problem type."""
    blocks = re.findall(r"```json\n(.*?)```", GUIDE.read_text(), re.DOTALL)
    answers = [json.loads(block.replace('"…", ', "")) for block in blocks]
    return {answer["type"]: answer for answer in answers if "type" in answer}


@pytest.fixture(scope="module")
def answered() -> dict[str, dict]:
    """What the app answers to each request, by the type it was asked for."""
    return {kind: call(Service()).json for kind, call in REQUESTS.items()}


def test_every_registered_problem_has_a_request_that_makes_the_app_answer_it(answered):
    assert set(REQUESTS) == set(REGISTRY), "give each registered problem its request in REQUESTS"
    for kind, answer in answered.items():
        assert answer["type"] == kind
        registered = REGISTRY[kind]
        assert (answer["status"], answer["title"]) == (
            registered.status or answer["status"],
            registered.title or answer["title"],
        )


@pytest.mark.parametrize("kind", list(REGISTRY))
def test_the_guide_shows_each_problem_as_the_app_answers_it(kind, answered):
    example = documented().get(kind)
    assert example is not None, f"docs/api.md has no example answer of {kind}"
    answer = answered[kind]
    assert (example["title"], example["status"]) == (answer["title"], answer["status"])
    assert set(example) == set(answer)
    for shown, given in zip(example.get("errors", []), answer.get("errors", []), strict=True):
        assert set(shown) == set(given)


def test_the_guide_shows_no_problem_the_app_does_not_answer():
    assert set(documented()) <= set(REGISTRY)


def test_the_guide_s_table_is_the_registry_s():
    assert written(GUIDE.read_text()) == table(), "run `python -m tests.guide.errors`"
