"""Metrics, request ids and the customer-field logging policy, through the Flask test client."""

import io
import json
import logging
import logging.config
import os
import re
from datetime import date

import pytest

from chaos.bootstrap import web_worker
from chaos.domain.repositories import IndicatorsUnavailable
from chaos.domain.socio_eco import SocioEcoIndicators
from chaos.entrypoints.web.app_factory import create_app
from chaos.entrypoints.web.appetence_schema import EXAMPLE_REQUEST
from chaos.entrypoints.web.json_logging import AccessJsonFormatter, logging_config
from chaos.entrypoints.web.request_id import made_up
from chaos.infrastructure.config import Settings
from chaos.infrastructure.config.settings import LoggingSettings
from chaos.infrastructure.db.measured_socio_eco_repository import MeasuredSocioEcoRepository
from chaos.infrastructure.metrics import prometheus as metrics
from tests.fakes import FakeScoringModel, InMemorySocioEcoRepository
from tests.web_clients import keyed_client, samples

MAY = SocioEcoIndicators(date(2008, 5, 31), 1.1, 93.9, -36.4)
BODY = {**EXAMPLE_REQUEST, "date": "2008-06-15"}


def client_for(log_customer_fields=False, model=None):
    settings = Settings(logging=LoggingSettings(log_customer_fields=log_customer_fields))
    model = model or FakeScoringModel(scorer=lambda features: 0.42, version="metrics-1")
    return keyed_client(
        create_app(web_worker(settings, model=model, repository=InMemorySocioEcoRepository([MAY])))
    )


def test_the_age_of_the_newest_complete_month_is_a_gauge():
    assert samples(client_for())[("chaos_socio_eco_age_days", ())] == (date.today() - MAY.date).days


def test_requests_scores_and_model_are_counted():
    client = client_for()
    before = samples(client)
    client.post("/appetence", json=BODY)
    client.post("/appetence", json={})
    after = samples(client)

    def delta(name, **labels):
        key = (name, tuple(sorted(labels.items())))
        return after.get(key, 0) - before.get(key, 0)

    assert delta("chaos_http_requests_total", endpoint="/appetence", method="POST", status="200") == 1
    assert delta("chaos_http_requests_total", endpoint="/appetence", method="POST", status="422") == 1
    assert delta("chaos_http_request_duration_seconds_count", endpoint="/appetence") == 2
    assert delta("chaos_appetence_bucket", model_version="metrics-1", le="0.4") == 0
    assert delta("chaos_appetence_bucket", model_version="metrics-1", le="0.5") == 1
    assert after[("chaos_model_info", (("role", "default"), ("version", "metrics-1")))] == 1


def test_latency_buckets_resolve_sub_millisecond_answers():
    client = client_for()
    client.get("/health")
    buckets = {
        dict(labels)["le"]
        for (name, labels) in samples(client)
        if name == "chaos_http_request_duration_seconds_bucket" and dict(labels)["endpoint"] == "/health"
    }
    assert {"0.0005", "0.001", "0.002", "0.005", "0.25", "+Inf"} <= buckets


def test_refusals_are_counted_by_reason_and_status():
    client = client_for()
    anonymous = client.application.test_client()
    before = samples(client)
    client.post("/appetence", json={})
    client.post("/appetence", data="{", content_type="application/json")
    anonymous.post("/appetence", json=BODY)
    client.get("/nowhere")
    after = samples(client)

    def delta(reason, status):
        key = ("chaos_refusals_total", (("reason", reason), ("status", status)))
        return after.get(key, 0) - before.get(key, 0)

    assert delta("invalid-fields", "422") == 1
    assert delta("malformed-json", "400") == 1
    assert delta("missing-credentials", "401") == 1
    assert delta("not-found", "404") == 1


def test_batch_rows_answered_with_a_problem_are_counted_by_reason_and_are_no_refusal():
    client = client_for()
    before = samples(client)
    rows = [
        BODY,
        {**BODY, "date": "2001-01-01"},
        {**BODY, "date": "2008-10-01"},
        {**BODY, "date": "2002-02-02"},
    ]
    assert client.post("/appetence/batch", json={"customers": rows}).status_code == 200
    after = samples(client)

    def delta(name, labels):
        return after.get((name, labels), 0) - before.get((name, labels), 0)

    assert delta("chaos_batch_rows_unscored_total", (("reason", "no-indicators"),)) == 2
    assert delta("chaos_batch_rows_unscored_total", (("reason", "stale-indicators"),)) == 1
    assert delta("chaos_refusals_total", (("reason", "no-indicators"), ("status", "422"))) == 0


def test_database_reads_are_timed_and_failures_counted():
    repository = InMemorySocioEcoRepository([MAY])
    measured = MeasuredSocioEcoRepository(repository, metrics.socio_eco_read)
    client = client_for()
    before = samples(client)
    assert measured.as_of(date(2008, 6, 1)) == MAY
    repository.available = False
    with pytest.raises(IndicatorsUnavailable):
        measured.as_of_many([date(2008, 6, 1)])
    after = samples(client)
    count = ("chaos_socio_eco_lookup_duration_seconds_count", (("operation", "as_of"),))
    errors = ("chaos_socio_eco_lookup_errors_total", (("operation", "as_of_many"),))
    assert after[count] - before.get(count, 0) == 1
    assert after[errors] - before.get(errors, 0) == 1


def test_the_request_id_is_taken_or_made_and_returned():
    client = client_for()
    given = client.get("/health", headers={"X-Request-ID": "campaign-42.call-7"})
    assert given.headers["X-Request-ID"] == "campaign-42.call-7"
    made = client.get("/health", headers={"X-Request-ID": 'bad id {"forged": 1}'})
    assert made.headers["X-Request-ID"] and " " not in made.headers["X-Request-ID"]
    assert client.get("/nowhere").headers["X-Request-ID"]
    assert client.post("/appetence", json=BODY, headers={"Authorization": ""}).headers["X-Request-ID"]


def test_a_made_up_request_id_is_128_bits_in_hex_and_a_forked_worker_draws_its_own():
    """Workers are forked from one master: each must make ids of its own, not the master's sequence."""
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:  # the worker: its first id goes to the parent, then it leaves without cleanup
        os.write(writer, made_up().encode())
        os._exit(0)
    os.close(writer)
    os.waitpid(child, 0)
    with os.fdopen(reader) as pipe:
        worker_id = pipe.read()
    master_ids = {made_up() for _ in range(1000)}
    assert all(re.fullmatch(r"[0-9a-f]{32}", made) for made in {worker_id, *master_ids})
    assert len(master_ids) == 1000 and worker_id not in master_ids


@pytest.fixture
def json_lines():
    """The application's log lines as gunicorn configures them (JSON), parsed."""
    output = io.StringIO()
    saved = logging.root.handlers[:], logging.root.level
    config = logging_config("INFO")
    config["handlers"]["default"]["stream"] = output
    logging.config.dictConfig(config)

    def read() -> list[dict]:
        return [json.loads(line) for line in output.getvalue().splitlines()]

    yield read
    handlers, level = saved
    logging.root.handlers[:] = handlers
    logging.root.setLevel(level)


def test_log_lines_of_a_request_carry_its_id_and_no_customer_values_by_default(json_lines):
    def failing(features):
        raise RuntimeError("boom")

    client = client_for(model=FakeScoringModel(scorer=failing))
    client.post("/appetence", json=BODY, headers={"X-Request-ID": "req-1"})
    lines = json_lines()
    assert lines and all(line["request_id"] == "req-1" for line in lines)
    assert "Technicien" not in json.dumps(lines)


def test_customer_values_are_logged_when_configured(json_lines):
    client_for(log_customer_fields=True).post("/appetence", json=BODY, headers={"X-Request-ID": "req-2"})
    (line,) = [line for line in json_lines() if line["message"] == "customers to score"]
    assert line["request_id"] == "req-2"
    assert line["customers"][0]["job_type"] == "Technicien"


def test_the_access_line_carries_the_response_request_id():
    atoms = {"h": "-", "m": "GET", "U": "/health", "q": "", "s": "200", "B": 2, "M": 1, "a": "-"}
    record = logging.LogRecord(
        "gunicorn.access", logging.INFO, __file__, 1, "%(m)s", ({**atoms, "{x-request-id}o": "abc"},), None
    )
    assert json.loads(AccessJsonFormatter().format(record))["request_id"] == "abc"


def test_on_a_terminal_the_lines_are_plain_text_without_alembic_s_start_up_lines():
    output = io.StringIO()
    saved = logging.root.handlers[:], logging.root.level
    config = logging_config("INFO", text=True)
    config["handlers"]["default"]["stream"] = output
    try:
        logging.config.dictConfig(config)
        logging.getLogger("alembic.runtime.plugins").info("setup plugin alembic.autogenerate.schemas")
        logging.getLogger("chaos.entrypoints.web").info("model loaded")
        client_for(log_customer_fields=True).post("/appetence", json=BODY, headers={"X-Request-ID": "req-3"})
    finally:
        handlers, level = saved
        logging.root.handlers[:] = handlers
        logging.root.setLevel(level)
    line, *in_request = output.getvalue().splitlines()
    assert "INFO" in line and "model loaded" in line and line.endswith("[chaos.entrypoints.web]")
    assert in_request and all(line.endswith(", request req-3]") for line in in_request), in_request
    assert not any(line.startswith("{") for line in [line, *in_request])
