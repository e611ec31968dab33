"""Error reporting: a forced error reaches a Sentry endpoint (a local HTTP server standing in for
Sentry, named by the DSN) as an event that says what broke and where, and carries no customer field."""

import gzip
import json
import threading
import zlib
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sentry_sdk

import chaos
from chaos.bootstrap import web_worker
from chaos.domain.socio_eco import SocioEcoIndicators
from chaos.entrypoints.web.app_factory import create_app
from chaos.entrypoints.web.appetence_schema import EXAMPLE_REQUEST
from chaos.infrastructure.config import Settings
from chaos.infrastructure.config.settings import ErrorReportingSettings
from tests.fakes import FakeScoringModel, InMemorySocioEcoRepository
from tests.web_clients import keyed_client

MAY = SocioEcoIndicators(date(2008, 5, 31), 1.1, 93.9, -36.4)
CUSTOMER = {**EXAMPLE_REQUEST, "date": "2008-06-15", "job_type": "Technicien", "balance": 987654}
PRIVATE = ("Technicien", "987654", "Secondaire", "2008-06-15")


class SentryStandIn(ThreadingHTTPServer):
    """Receives envelopes on 127.0.0.1 and keeps each one's items (JSON), decompressed."""

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Envelopes)
        self.raw: list[bytes] = []
        self.items: list[dict] = []
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def dsn(self) -> str:
        return f"http://public@127.0.0.1:{self.server_address[1]}/1"

    def events(self) -> list[dict]:
        return [item for item in self.items if "exception" in item or "logentry" in item]


class _Envelopes(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "deflate":
            body = zlib.decompress(body)
        else:
            assert encoding in ("", "identity"), f"cannot read {encoding}"
        self.server.raw.append(body)
        for line in body.splitlines()[1:]:
            document = json.loads(line)
            if "type" not in document:  # item headers have a type; payloads do not
                self.server.items.append(document)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def sentry():
    server = SentryStandIn()
    yield server
    sentry_sdk.get_client().close()
    sentry_sdk.init()  # no DSN: reporting off again for the other tests
    server.shutdown()


def failing_app(dsn: str | None):
    def scorer(features):
        raise RuntimeError(f"cannot score {features['job_type']} with balance {features['balance']}")

    settings = Settings(error_reporting=ErrorReportingSettings(dsn=dsn, environment="staging"))
    model = FakeScoringModel(scorer=scorer)
    return keyed_client(
        create_app(web_worker(settings, model=model, repository=InMemorySocioEcoRepository([MAY])))
    )


def test_a_forced_error_is_reported_without_any_customer_field(sentry):
    client = failing_app(sentry.dsn)
    response = client.post(
        "/appetence", json=CUSTOMER, headers={"X-Request-ID": "req-42"}, query_string="x=1"
    )
    assert response.status_code == 500
    sentry_sdk.flush(timeout=10)

    (event,) = sentry.events()
    (exception,) = event["exception"]["values"]
    assert exception["type"] == "RuntimeError"
    assert any(frame["function"] == "scorer" for frame in exception["stacktrace"]["frames"])
    assert event["environment"] == "staging"
    assert event["release"] == f"chaos@{chaos.__version__}"
    assert event["tags"]["request_id"] == "req-42"
    assert event["request"] == {"method": "POST", "url": "http://localhost/appetence"}
    everything = b"\n".join(sentry.raw).decode()
    for value in PRIVATE:
        assert value not in everything, f"{value!r} left in the event"
    assert '"vars"' not in everything and "breadcrumbs" not in everything


def test_without_a_dsn_nothing_is_sent(sentry):
    client = failing_app(None)
    assert client.post("/appetence", json=CUSTOMER).status_code == 500
    sentry_sdk.flush(timeout=2)
    assert sentry.raw == []
