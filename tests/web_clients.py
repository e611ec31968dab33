"""Test clients that present the demo API key (the built-in defaults' key), as a caller would."""

from flask import Flask
from flask.testing import FlaskClient

from chaos.infrastructure.api_keys import DEMO_KEY

DEMO_AUTHORIZATION = {"Authorization": f"Bearer {DEMO_KEY}"}


def keyed_client(app: Flask) -> FlaskClient:
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = DEMO_AUTHORIZATION["Authorization"]
    return client


UNCALIBRATED = {
    "shift": 0.0,
    "window_days": None,
    "since": None,
    "until": None,
    "contacts": 0,
    "observed_rate": None,
}
"""The `calibration` of an answer with no recent outcome to calibrate on (no call log, a quiet month)."""
