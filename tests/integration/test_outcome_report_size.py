"""A full-size report (`api.batch_max_rows` rows) is recorded within the request path's statement
timeout, through the API, on PostgreSQL."""

import sqlalchemy as sa

from chaos.bootstrap import web_worker
from chaos.entrypoints.web.app_factory import create_app
from chaos.entrypoints.web.appetence_schema import EXAMPLE_REQUEST
from chaos.infrastructure.api_keys import key_hash
from chaos.infrastructure.config.settings import ApiSettings
from tests.fakes import FakeScoringModel
from tests.support.database import settings_on
from tests.support.reporting import UNBOUNDED
from tests.web_clients import TEST_KEY, keyed_client

ROWS = 10_000


def test_the_largest_report_is_recorded_whole_then_found_unchanged(engine, database_settings):
    keys = [{"hash": key_hash(TEST_KEY), "scopes": ["report_outcomes"]}]
    settings = settings_on(
        database_settings, api=ApiSettings(keys=keys, batch_max_rows=ROWS), outcomes=UNBOUNDED
    )
    app = create_app(web_worker(settings, model=FakeScoringModel()))
    client = keyed_client(app, TEST_KEY)
    body = {
        "outcomes": [
            {"id": i, "outcome": "Refus" if i % 9 else "Souscrit", "date": "2026-11-02", **EXAMPLE_REQUEST}
            for i in range(ROWS)
        ]
    }
    try:
        first = client.post("/outcomes", json=body)
        again = client.post("/outcomes", json=body)
    finally:
        app.extensions["chaos"].service.stores.engine.dispose()
    assert first.status_code == 200, first.json
    assert first.json["new"] == ROWS
    assert again.json["unchanged"] == ROWS
    with engine.connect() as connection:
        assert connection.scalar(sa.text("SELECT count(*) FROM reported_outcome")) == ROWS
