"""The generated client against real gunicorn serving a model trained on demo data: typed answers for
a score, a batch, the model list, and the problem+json of a refused call."""

import pytest
from chaos_client import AuthenticatedClient, Client
from chaos_client.api.default import health, list_models, score, score_batch
from chaos_client.models import (
    AppetenceBatchRequest,
    AppetenceRequest,
    AppetenceResponse,
    BatchResponse,
    ModelList,
    ProblemDetails,
)

from chaos.entrypoints.web.appetence_schema import EXAMPLE_REQUEST
from chaos.infrastructure.api_keys import DEMO_KEY
from tests.support.served import configuration, gunicorn_server, seed

CUSTOMER = AppetenceRequest.from_dict(EXAMPLE_REQUEST)


@pytest.fixture(scope="module")
def server(tmp_path_factory, database_settings, trained_models):
    seed(database_settings)
    server = gunicorn_server(
        tmp_path_factory.mktemp("server"), configuration(database_settings, trained_models[0]), workers=1
    )
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture
def client(server):
    with AuthenticatedClient(base_url=server.url, token=DEMO_KEY) as client:
        yield client


def test_one_customer_is_scored(client, trained_models):
    answer = score.sync(client=client, body=CUSTOMER)
    assert isinstance(answer, AppetenceResponse)
    assert 0 <= answer.appetence <= 1
    assert answer.model_version == trained_models[1]
    assert answer.calibration.window_days in (None, 7, 28)


def test_a_batch_answers_in_the_callers_order(client):
    older = AppetenceRequest.from_dict({**EXAMPLE_REQUEST, "nb_contact": 9})
    answer = score_batch.sync(client=client, body=AppetenceBatchRequest(customers=[CUSTOMER, older]))
    assert isinstance(answer, BatchResponse)
    assert answer.count == 2
    single = score.sync(client=client, body=older)
    assert isinstance(single, AppetenceResponse)
    assert answer.results[1].appetence == pytest.approx(single.appetence)


def test_the_models_are_listed(client, trained_models):
    answer = list_models.sync(client=client)
    assert isinstance(answer, ModelList)
    assert trained_models[1] in {model.version for model in answer.models}


def test_a_refusal_is_a_typed_problem(client):
    invalid = AppetenceRequest.from_dict({**EXAMPLE_REQUEST, "job_type": "Astronaute"})
    answer = score.sync_detailed(client=client, body=invalid)
    assert answer.status_code == 422
    assert isinstance(answer.parsed, ProblemDetails)
    assert answer.parsed.errors and answer.parsed.errors[0].field == "job_type"


def test_a_wrong_key_is_a_403(server):
    with AuthenticatedClient(base_url=server.url, token="not-a-known-key") as stranger:
        answer = score.sync_detailed(client=stranger, body=CUSTOMER)
    assert answer.status_code == 403
    assert isinstance(answer.parsed, ProblemDetails)


def test_open_endpoints_need_no_key(server):
    with Client(base_url=server.url) as anonymous:
        assert health.sync(client=anonymous).status == "alive"
