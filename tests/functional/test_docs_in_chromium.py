"""`/docs` as a person sees it: headless Chromium loads Swagger UI from the app's own files (no
network) and renders every operation of the OpenAPI document."""

import re
import threading

import pytest
from werkzeug.serving import make_server

from chaos.bootstrap import web_worker
from chaos.entrypoints.web.app_factory import create_app
from chaos.infrastructure.config import Settings
from tests.fakes import FakeScoringModel, InMemorySocioEcoRepository
from tests.functional.chromium import headless, needs_chromium

OPERATIONS = {
    ("post", "/appetence"),
    ("post", "/appetence/batch"),
    ("post", "/outcomes"),
    ("get", "/models"),
    ("get", "/models/{version}"),
    ("get", "/models/{version}/report"),
    ("get", "/monitoring"),
    ("get", "/health"),
    ("get", "/ready"),
    ("get", "/metrics"),
}


@pytest.fixture
def docs_url():
    app = create_app(
        web_worker(Settings(), model=FakeScoringModel(), repository=InMemorySocioEcoRepository())
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/docs/"
    server.shutdown()
    thread.join(10)


@needs_chromium
def test_swagger_ui_renders_every_operation(docs_url, tmp_path):
    dom = headless(docs_url, tmp_path / "profile", "--virtual-time-budget=20000", "--dump-dom")
    rendered = {
        (method.lower(), path)
        for method, path in re.findall(
            r'opblock-summary-method">(\w+)<.*?data-path="([^"]+)"', dom, flags=re.DOTALL
        )
    }
    assert rendered == OPERATIONS, dom[-3000:]
    assert "chaos appetence API" in dom
    assert not re.search(r'(src|href)="https?://(?!127\.0\.0\.1)', dom)
