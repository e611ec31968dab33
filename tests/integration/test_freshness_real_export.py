"""With only the real export in the database (indicators end in October 2010), a score of today is
refused naming the indicators' age, a 2010 date is scored point-in-time, and /metrics shows the age."""

from datetime import date

import pytest

from chaos.bootstrap import web_worker
from chaos.entrypoints.web.app_factory import create_app
from chaos.entrypoints.web.appetence_schema import EXAMPLE_REQUEST
from chaos.infrastructure.importing import SOCIO_ECO, import_csv
from tests.fakes import FakeScoringModel
from tests.support.database import settings_on
from tests.web_clients import TEST_KEY, keyed_client

NEWEST = date(2010, 10, 31)


@pytest.fixture
def client(engine, database_settings, shared_data, tmp_path):
    import_csv(engine, shared_data / "socio_eco.csv", SOCIO_ECO, max_reject_ratio=0, rejects_dir=tmp_path)
    app = create_app(web_worker(settings_on(database_settings), model=FakeScoringModel()))
    yield keyed_client(app, TEST_KEY)
    app.extensions["chaos"].service.stores.engine.dispose()


def test_a_score_of_today_names_the_age_of_the_indicators(client):
    response = client.post("/appetence", json=EXAMPLE_REQUEST)
    assert (response.status_code, response.mimetype) == (422, "application/problem+json")
    age = (date.today() - NEWEST).days
    assert response.json["age_days"] == age and response.json["max_age_days"] == 62
    assert response.json["newest_month"] == response.json["socio_eco_date"] == NEWEST.isoformat()
    assert f"{age} days" in response.json["detail"]


def test_a_2010_contact_is_scored_with_the_month_before_it(client):
    response = client.post("/appetence", json={**EXAMPLE_REQUEST, "date": "2010-06-15"})
    assert response.status_code == 200, response.json
    assert response.json["socio_eco_date"] == "2010-05-31"


def test_metrics_show_the_age_of_the_newest_month(client):
    lines = client.get("/metrics").get_data(as_text=True).splitlines()
    assert f"chaos_socio_eco_age_days {float((date.today() - NEWEST).days)}" in lines
