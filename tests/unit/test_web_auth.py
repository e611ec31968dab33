"""API keys on every endpoint: 401 + WWW-Authenticate without or with a malformed key, 403 for an
unknown key, 200 with a known one; the probes and the documentation stay open."""

from datetime import date

import pytest

from chaos.bootstrap import web_worker
from chaos.domain.socio_eco import SocioEcoIndicators
from chaos.entrypoints.web.app_factory import create_app
from chaos.entrypoints.web.appetence_schema import EXAMPLE_REQUEST
from chaos.infrastructure.api_keys import DEMO_KEY, key_hash, new_key
from chaos.infrastructure.config import Settings
from chaos.infrastructure.config.settings import ApiSettings
from tests.fakes import FakeScoringModel, InMemorySocioEcoRepository, last_month

KEY = new_key()
PROTECTED = {
    "POST /appetence": ("POST", "/appetence", {"json": EXAMPLE_REQUEST}),
    "POST /appetence/batch": ("POST", "/appetence/batch", {"json": {"customers": [EXAMPLE_REQUEST]}}),
    "GET /models": ("GET", "/models", {}),
    "GET /models/<version>": ("GET", "/models/fake-1", {}),
}
OPEN = {
    "GET /health": ("GET", "/health", {}),
    "GET /ready": ("GET", "/ready", {}),
    "GET /openapi.json": ("GET", "/openapi.json", {}),
    "GET /docs/": ("GET", "/docs/", {}),
    "GET /metrics": ("GET", "/metrics", {}),
}


def client_for(keys=None, **api):
    settings = Settings(api=ApiSettings(keys=keys or [key_hash(KEY)], **api))
    repository = InMemorySocioEcoRepository(
        [SocioEcoIndicators(date(2008, 5, 31), 1.1, 93.9, -36.4), last_month()]
    )
    return create_app(web_worker(settings, model=FakeScoringModel(), repository=repository)).test_client()


@pytest.fixture
def client():
    return client_for()


def call(client, endpoint, headers):
    method, path, kwargs = endpoint
    return client.open(path, method=method, headers=headers, **kwargs)


@pytest.mark.parametrize("endpoint", PROTECTED.values(), ids=PROTECTED.keys())
@pytest.mark.parametrize(
    "headers, status",
    [
        ({}, 401),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, 401),
        ({"Authorization": "Bearer"}, 401),
        ({"Authorization": "Bearer not a key"}, 401),
        ({"X-API-Key": "short"}, 401),
        ({"Authorization": f"Bearer {new_key()}"}, 403),
        ({"X-API-Key": DEMO_KEY}, 403),  # the demo key is not configured here
        ({"Authorization": f"Bearer {KEY}"}, 200),
        ({"authorization": f"bearer   {KEY}"}, 200),
        ({"X-API-Key": KEY}, 200),
    ],
    ids=["none", "basic", "empty", "spaces", "too-short", "unknown", "demo", "bearer", "case", "x-api-key"],
)
def test_protected_endpoints(client, endpoint, headers, status):
    response = call(client, endpoint, headers)
    assert response.status_code == status, response.get_data(as_text=True)
    if status == 401:
        assert response.headers["WWW-Authenticate"].startswith('Bearer realm="chaos"')
        assert ("invalid_request" in response.headers["WWW-Authenticate"]) == bool(headers)
    if status != 200:
        assert response.content_type == "application/problem+json"
        assert response.json["status"] == status


@pytest.mark.parametrize("endpoint", OPEN.values(), ids=OPEN.keys())
def test_open_endpoints_need_no_key(client, endpoint):
    assert call(client, endpoint, {}).status_code == 200


def test_metrics_can_require_a_key():
    client = client_for(metrics_require_key=True)
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"X-API-Key": new_key()}).status_code == 403
    assert client.get("/metrics", headers={"X-API-Key": KEY}).status_code == 200


def test_no_configured_key_lets_nobody_in():
    settings = Settings(api=ApiSettings(keys=[]))
    client = create_app(
        web_worker(settings, model=FakeScoringModel(), repository=InMemorySocioEcoRepository())
    ).test_client()
    assert client.get("/models", headers={"X-API-Key": DEMO_KEY}).status_code == 403


def test_the_body_of_an_unauthenticated_call_is_not_read(client):
    response = client.post("/appetence", data="x" * 1_000_000, content_type="application/json")
    assert response.status_code == 401  # not 413: refused before reading


SCORER, MODEL_READER = new_key(), new_key()


@pytest.fixture
def scoped_client():
    return client_for(
        keys=[
            {"hash": key_hash(SCORER), "scopes": ["score"]},
            {"hash": key_hash(MODEL_READER), "scopes": ["read_models"]},
        ]
    )


@pytest.mark.parametrize(
    ("key", "endpoint", "scope"),
    [
        (SCORER, PROTECTED["GET /models"], "read_models"),
        (SCORER, PROTECTED["GET /models/<version>"], "read_models"),
        (MODEL_READER, PROTECTED["POST /appetence"], "score"),
        (MODEL_READER, PROTECTED["POST /appetence/batch"], "score"),
    ],
    ids=["scorer lists models", "scorer reads a model", "reader scores", "reader scores a batch"],
)
def test_a_key_without_the_operations_scope_gets_a_403_naming_it(scoped_client, key, endpoint, scope):
    response = call(scoped_client, endpoint, {"X-API-Key": key})
    assert response.status_code == 403
    assert response.content_type == "application/problem+json"
    assert response.json["type"] == "urn:chaos:problem:missing-scope"
    assert response.json["scope"] == scope
    assert f"'{scope}'" in response.json["detail"]


def test_a_key_with_the_operations_scope_passes(scoped_client):
    assert call(scoped_client, PROTECTED["GET /models"], {"X-API-Key": MODEL_READER}).status_code == 200
    assert call(scoped_client, PROTECTED["POST /appetence"], {"X-API-Key": SCORER}).status_code == 200
