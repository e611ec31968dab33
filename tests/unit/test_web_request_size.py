"""Bodies at the size limit are refused whole (413), also when sent chunked without Content-Length."""

import io
import json
from datetime import date

import pytest
from werkzeug.test import EnvironBuilder, run_wsgi_app

from chaos.bootstrap import web_worker
from chaos.domain.socio_eco import SocioEcoIndicators
from chaos.entrypoints.web.app_factory import create_app
from chaos.entrypoints.web.appetence_schema import EXAMPLE_REQUEST
from chaos.entrypoints.web.bounded_request import MAX_BODY_BYTES
from chaos.infrastructure.config import Settings
from tests.fakes import FakeScoringModel, InMemorySocioEcoRepository, last_month
from tests.web_clients import keyed_client

BODY = json.dumps(EXAMPLE_REQUEST).encode()


@pytest.fixture
def client():
    repository = InMemorySocioEcoRepository(
        [SocioEcoIndicators(date(2008, 5, 31), 1.1, 93.994, -36.4), last_month()]
    )
    return keyed_client(create_app(web_worker(Settings(), model=FakeScoringModel(), repository=repository)))


class ChunkedBody:
    """gunicorn's body of a chunked request: readable, of no known length."""

    def __init__(self, data: bytes):
        self.read = io.BytesIO(data).read


def chunked(client, body: bytes):
    """As gunicorn passes a chunked request: no Content-Length, the server terminates the stream
    (built by hand: the test client would compute a Content-Length)."""
    environ = EnvironBuilder("/appetence", method="POST", content_type="application/json").get_environ()
    environ.update({"wsgi.input": ChunkedBody(body), "wsgi.input_terminated": True, **client.environ_base})
    environ.pop("CONTENT_LENGTH", None)
    _, status, headers = run_wsgi_app(client.application, environ, buffered=True)
    return int(status.split()[0]), headers["Content-Type"]


def test_a_chunked_body_within_the_limit_is_scored(client):
    assert chunked(client, BODY) == (200, "application/json")


def test_a_chunked_body_over_the_limit_is_refused_even_when_its_cut_would_parse(client):
    padded = BODY + b" " * MAX_BODY_BYTES  # the first MAX_BODY_BYTES bytes are valid JSON
    assert chunked(client, padded) == (413, "application/problem+json")


def test_a_declared_length_up_to_the_limit_is_read_whole(client):
    exactly = BODY + b" " * (MAX_BODY_BYTES - len(BODY))
    assert client.post("/appetence", data=exactly, content_type="application/json").status_code == 200
    over = exactly + b" "
    assert client.post("/appetence", data=over, content_type="application/json").status_code == 413
