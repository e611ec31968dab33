"""`/health` never needs the database; `/ready` needs the model and a database that answers."""

from datetime import date

import pytest

from chaos.bootstrap import web_worker
from chaos.domain.repositories import IndicatorsUnavailable
from chaos.domain.socio_eco import SocioEcoIndicators
from chaos.entrypoints.web.app_factory import create_app
from chaos.infrastructure.config import Settings
from tests.fakes import FakeScoringModel, InMemorySocioEcoRepository, last_month

MAY = SocioEcoIndicators(date(2008, 5, 31), 1.1, 93.994, -36.4)
FRESH = last_month()
AGE = (date.today() - FRESH.date).days


@pytest.fixture
def repository():
    return InMemorySocioEcoRepository([MAY, FRESH])


@pytest.fixture
def client(repository):
    return create_app(
        web_worker(Settings(), model=FakeScoringModel(version="v7"), repository=repository)
    ).test_client()


def test_health_answers_without_reading_the_database(client, repository):
    repository.available = False
    response = client.get("/health")
    assert (response.status_code, response.json) == (200, {"status": "alive"})
    assert repository.reads == 0


def test_ready_when_the_database_answers(client):
    response = client.get("/ready")
    assert response.status_code == 200
    assert response.json == {
        "status": "ready",
        "model_version": "v7",
        "checks": {
            "model": "loaded version v7",
            "database": "ok",
            "socio_eco": f"newest complete month {FRESH.date}, {AGE} days old, limit 62: fresh",
            "calibration": "no resolved outcome stored, no shift: STALE: answers are flagged",
        },
    }


def test_stale_indicators_are_reported_but_leave_the_pod_ready(client, repository):
    """Every pod shares the table: failing readiness would take the whole service out at once."""
    repository.rows = [MAY]
    response = client.get("/ready")
    assert response.status_code == 200
    age = (date.today() - MAY.date).days
    assert response.json["checks"]["socio_eco"] == (
        f"newest complete month 2008-05-31, {age} days old, limit 62: "
        "STALE: scores of today are refused (422)"
    )


def test_an_empty_table_is_reported(client, repository):
    repository.rows = []
    assert (
        client.get("/ready").json["checks"]["socio_eco"] == "empty: no complete month, nothing can be scored"
    )


def test_not_ready_names_the_reason(client, repository):
    repository.available = False
    response = client.get("/ready")
    assert response.status_code == 503
    assert response.content_type == "application/problem+json"
    assert response.headers["Retry-After"]
    assert response.json["checks"] == {
        "model": "loaded version v7",
        "database": "unreachable",
    }
    assert "fake database is down" not in response.text


def test_ready_uses_the_given_ping_and_logs_its_reason_without_answering_it(repository, caplog):
    def refuse():
        raise IndicatorsUnavailable("connection to 10.0.0.7 port 5432 refused")

    app = create_app(web_worker(Settings(), model=FakeScoringModel(), repository=repository, ping=refuse))
    response = app.test_client().get("/ready")
    assert response.status_code == 503
    assert "10.0.0.7" not in response.text
    assert "5432" not in response.text
    assert "connection to 10.0.0.7 port 5432 refused" in caplog.text
