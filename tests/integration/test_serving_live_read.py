"""The served app reading socio_eco live from the real PostgreSQL: freshness within the TTL, 422 ranges."""

import time
from datetime import date

import pytest
import sqlalchemy as sa

from chaos.bootstrap import web_worker
from chaos.entrypoints.web.app_factory import create_app
from chaos.entrypoints.web.appetence_schema import EXAMPLE_REQUEST
from chaos.infrastructure.config.settings import SocioEcoSettings
from chaos.infrastructure.db.tables import socio_eco
from tests.fakes import FakeScoringModel
from tests.support.database import settings_on
from tests.web_clients import TEST_KEY, keyed_client

BODY = {**EXAMPLE_REQUEST, "date": "2008-06-15"}


def by_employment(features):
    return (features["employment_variation_rate"] + 2) / 10


@pytest.fixture
def serve(engine, database_settings):
    """Apps built from settings, as gunicorn builds them: their own pooled engine, no injected repository."""
    apps = []

    def build(ttl_seconds: float):
        settings = settings_on(database_settings, socio_eco=SocioEcoSettings(cache_ttl_seconds=ttl_seconds))
        app = create_app(web_worker(settings, model=FakeScoringModel(scorer=by_employment)))
        apps.append(app)
        return keyed_client(app, TEST_KEY)

    with engine.begin() as connection:
        connection.execute(
            sa.insert(socio_eco),
            [
                {
                    "date": date(2008, 5, 31),
                    "employment_variation_rate": 1.1,
                    "idx_consumer_price": 93.9,
                    "idx_consumer_confidence": -36.4,
                },
                {
                    "date": date(2008, 7, 31),
                    "employment_variation_rate": 1.4,
                    "idx_consumer_price": 93.9,
                    "idx_consumer_confidence": -42.7,
                },
            ],
        )
    yield build
    for app in apps:
        app.extensions["chaos"].service.stores.engine.dispose()


def revise_may(engine, rate: float) -> None:
    with engine.begin() as connection:
        connection.execute(
            sa.update(socio_eco)
            .where(socio_eco.c.date == date(2008, 5, 31))
            .values(employment_variation_rate=rate)
        )


def appetence(client) -> float:
    response = client.post("/appetence", json=BODY)
    assert response.status_code == 200, response.json
    assert response.json["socio_eco_date"] == "2008-05-31"
    return response.json["appetence"]


def test_with_ttl_zero_an_update_shows_at_once(serve, engine):
    client = serve(ttl_seconds=0)
    assert appetence(client) == pytest.approx(0.31)
    revise_may(engine, -0.5)
    assert appetence(client) == pytest.approx(0.15)


def test_with_a_ttl_an_update_shows_within_it(serve, engine):
    ttl = 1.0
    client = serve(ttl_seconds=ttl)
    assert appetence(client) == pytest.approx(0.31)
    revise_may(engine, -0.5)
    updated_at = time.monotonic()
    assert appetence(client) == pytest.approx(0.31)  # served from the cache: bounded staleness
    while appetence(client) == pytest.approx(0.31):
        assert time.monotonic() - updated_at < ttl + 2, "the update never showed"
        time.sleep(0.1)
    assert appetence(client) == pytest.approx(0.15)


def test_a_date_before_the_table_gets_the_real_range(serve):
    response = serve(ttl_seconds=0).post("/appetence", json={**BODY, "date": "2008-01-10"})
    assert response.status_code == 422
    assert "from 2008-05-31 to 2008-07-31" in response.json["detail"]


def test_ready_pings_the_real_database(serve):
    response = serve(ttl_seconds=30).get("/ready")
    assert response.status_code == 200
    assert response.json["checks"]["database"] == "ok"
