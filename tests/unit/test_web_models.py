"""`GET /models`, `GET /models/<version>` and `?model=<version>` on real artifacts in a temporary store."""

from datetime import date

import pytest

from chaos.domain.socio_eco import SocioEcoIndicators
from chaos.entrypoints.web.app_factory import create_app
from chaos.entrypoints.web.appetence_schema import EXAMPLE_REQUEST
from chaos.entrypoints.web.extension import current_serving
from chaos.infrastructure.config import Settings
from chaos.infrastructure.config.settings import ModelSettings
from chaos.infrastructure.models.artifacts import ArtifactStore
from tests.artifacts import save_model
from tests.fakes import VOCABULARY, InMemorySocioEcoRepository
from tests.web_clients import keyed_client

BODY = {**EXAMPLE_REQUEST, "date": "2008-06-15"}
MAY = SocioEcoIndicators(date(2008, 5, 31), 1.1, 93.9, -36.4)


@pytest.fixture
def store(tmp_path):
    older = save_model(tmp_path, champion=False)
    champion = save_model(tmp_path, champion=True, vocabulary={**VOCABULARY, "job_type": ["Astronaute"]})
    return ArtifactStore(tmp_path), older, champion


def serve(store, **model_settings):
    directory = store[0].storage.directory
    settings = Settings(model=ModelSettings(directory=directory, **model_settings))
    return create_app(settings, repository=InMemorySocioEcoRepository([MAY]))


def test_models_lists_every_version_newest_first_with_its_role(store):
    _, older, champion = store
    response = keyed_client(serve(store)).get("/models")
    assert response.status_code == 200
    listed = response.json["models"]
    assert [model["version"] for model in listed] == [champion, older]
    assert [(model["champion"], model["default"]) for model in listed] == [(True, True), (False, False)]
    assert listed[0]["metrics"] == {"roc_auc": 0.71}
    assert listed[0]["data"]["first_date"] == "2008-05-05"
    assert "vocabulary" not in listed[0]


def test_one_version_in_detail(store):
    _, older, _ = store
    response = keyed_client(serve(store)).get(f"/models/{older}")
    assert response.status_code == 200
    assert response.json["version"] == older
    assert response.json["vocabulary"]["job_type"] == VOCABULARY["job_type"]


@pytest.mark.parametrize("version", ["20990101T000000Z", "nope", "..", "CHAMPION"])
def test_an_unknown_version_is_a_404_problem(store, version):
    response = keyed_client(serve(store)).get(f"/models/{version}")
    assert response.status_code == 404
    assert response.content_type == "application/problem+json"


def test_model_parameter_scores_with_that_version_and_its_vocabulary(store):
    _, older, champion = store
    client = keyed_client(serve(store))
    by_default = client.post("/appetence", json={**BODY, "job_type": "Astronaute"})
    assert by_default.json["model_version"] == champion
    chosen = client.post(f"/appetence?model={older}", json=BODY)
    assert chosen.status_code == 200, chosen.json
    assert chosen.json["model_version"] == older
    refused = client.post(f"/appetence?model={older}", json={**BODY, "job_type": "Astronaute"})
    assert refused.status_code == 422  # the older model never saw that label


@pytest.mark.parametrize("path", ["/appetence", "/appetence/batch"])
def test_an_unknown_model_parameter_is_a_404_naming_the_versions(store, path):
    _, older, champion = store
    body = BODY if path == "/appetence" else {"customers": [BODY]}
    response = keyed_client(serve(store)).post(f"{path}?model=20990101T000000Z", json=body)
    assert response.status_code == 404
    assert response.json["errors"][0]["field"] == "model"
    assert response.json["errors"][0]["allowed"] == [champion, older]


def test_loaded_versions_are_bounded(tmp_path):
    versions = [save_model(tmp_path, champion=index == 0) for index in range(4)]
    app = create_app(
        Settings(model=ModelSettings(directory=tmp_path, max_loaded_versions=2)),
        repository=InMemorySocioEcoRepository([MAY]),
    )
    client = keyed_client(app)
    for version in versions:
        assert client.post(f"/appetence?model={version}", json=BODY).json["model_version"] == version
    with app.app_context():
        loaded = current_serving().service.models.loaded_versions
    assert loaded == [versions[0], *versions[-2:]]  # the default stays; then the two most recently used
