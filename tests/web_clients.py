"""Test clients that present an API key, as a caller would: the demo key (the built-in defaults'), or
the test key that settings for a test database accept (tests.support.database.settings_on)."""

from flask import Flask
from flask.testing import FlaskClient
from prometheus_client.parser import text_string_to_metric_families

from chaos.infrastructure.api_keys import DEMO_KEY

DEMO_AUTHORIZATION = {"Authorization": f"Bearer {DEMO_KEY}"}
TEST_KEY = "chaos-test-key"  # pragma: allowlist secret


def keyed_client(app: Flask, key: str = DEMO_KEY) -> FlaskClient:
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client


UNCALIBRATED = {
    "shift": 0.0,
    "window_days": None,
    "since": None,
    "until": None,
    "contacts": 0,
    "stale": True,
    "newest_outcome": None,
    "outcomes_age_days": None,
    "slope": 1.0,
    "offset": 0.0,
    "observed_rate": None,
    "slope_source": None,
    "moved": None,
}
"""The `calibration` of an answer with no recent outcome to calibrate on (no call log, a quiet month)."""


def samples(client) -> dict[tuple[str, tuple], float]:
    """Every sample `/metrics` answers, by name and sorted labels."""
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.get_data(as_text=True))
        for sample in family.samples
    }
