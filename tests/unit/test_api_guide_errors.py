"""The API guide's table of errors and its example answers are the app's: each example's type, title,
status and fields are what the app answers to the request the guide describes, and the table lists
exactly the problems shown."""

import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from chaos.bootstrap import web_worker
from chaos.entrypoints.web.app_factory import create_app
from chaos.entrypoints.web.appetence_schema import EXAMPLE_REQUEST
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

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "api.md"
REPORTER = "reporter-key"  # pragma: allowlist secret


def documented() -> dict[str, dict]:
    """The guide's example answers, by problem type."""
    blocks = re.findall(r"```json\n(.*?)```", GUIDE.read_text(), re.DOTALL)
    answers = [json.loads(block.replace('"…", ', "")) for block in blocks]
    return {answer["type"]: answer for answer in answers if "type" in answer}


def tabled() -> set[tuple[int, str]]:
    return {
        (int(status), kind)
        for status, kind in re.findall(r"^\| (\d{3}) \| `([^`]+)` \|", GUIDE.read_text(), re.M)
    }


def answers() -> dict[str, dict]:
    """What the app answers to each request the guide describes, by problem type."""
    repository = InMemorySocioEcoRepository([last_month()])
    keys = [
        {"hash": key_hash(DEMO_KEY), "scopes": ["score", "report_outcomes", "read_models"], "id": "reporter"}
    ]
    keys.append({"hash": key_hash(REPORTER), "scopes": ["report_outcomes"]})
    book = InMemoryOutcomeBook()
    app = create_app(
        web_worker(
            Settings(api=ApiSettings(keys=keys), outcomes=OutcomeSettings(max_daily_reports_per_key=2)),
            model=FakeScoringModel(),
            repository=repository,
            calibrations=InMemoryCalibrationStore(),
            outcomes=book,
        )
    )
    client = app.test_client()
    demo = {"Authorization": f"Bearer {DEMO_KEY}"}
    json_body = {**demo, "Content-Type": "application/json"}
    first = {"id": 7, "outcome": "Souscrit", "date": str(date.today() - timedelta(days=1)), **EXAMPLE_REQUEST}
    assert client.post("/outcomes", json={"outcomes": [first]}, headers=demo).status_code == 200
    calls = [
        client.post("/appetence", data=b"{not json", headers=json_body),
        client.post("/appetence", json=EXAMPLE_REQUEST),
        client.post("/appetence", json=EXAMPLE_REQUEST, headers={"Authorization": "Bearer not-a-key"}),
        client.post("/appetence", json=EXAMPLE_REQUEST, headers={"Authorization": f"Bearer {REPORTER}"}),
        client.post("/appetence?model=20200101T000000Z", json=EXAMPLE_REQUEST, headers=demo),
        client.post("/outcomes", json={"outcomes": [{"id": 7, "outcome": "Refus"}]}, headers=demo),
        client.post("/appetence", data=b"[" + b"1," * 40_000 + b"1]", headers=json_body),
        client.post(
            "/appetence", data=json.dumps(EXAMPLE_REQUEST), headers={**demo, "Content-Type": "text/plain"}
        ),
        client.post(
            "/appetence", json={**EXAMPLE_REQUEST, "job_type": "Astronaute", "nb_contact": 0}, headers=demo
        ),
        client.post(
            "/appetence",
            json={**EXAMPLE_REQUEST, "date": str(date.today() + timedelta(days=200))},
            headers=demo,
        ),
        client.post("/appetence", json={**EXAMPLE_REQUEST, "date": "2001-01-01"}, headers=demo),
    ]
    more = [{**first, "id": contact_id} for contact_id in (8, 9)]
    calls.append(client.post("/outcomes", json={"outcomes": more}, headers=demo))
    book.busy = True
    calls.append(
        client.post("/outcomes", json={"outcomes": [{"id": 7, "outcome": "Souscrit"}]}, headers=demo)
    )
    repository.available = False
    calls.append(client.post("/appetence", json=EXAMPLE_REQUEST, headers=demo))
    return {call.json["type"]: call.json for call in calls}


@pytest.fixture(scope="module")
def answered() -> dict[str, dict]:
    return answers()


def test_every_example_is_what_the_app_answers(answered):
    examples = documented()
    assert set(examples) == set(answered)
    for kind, example in examples.items():
        answer = answered[kind]
        assert (example["title"], example["status"]) == (answer["title"], answer["status"]), kind
        assert set(example) == set(answer), kind


def test_the_table_lists_the_examples():
    assert tabled() == {(example["status"], kind) for kind, example in documented().items()}
