"""`GET /models`, `GET /models/<version>` and `?model=<version>` on real artifacts in a temporary store."""

from datetime import date

import pytest

from chaos.application.model_registry import ModelRegistry
from chaos.bootstrap import web_worker
from chaos.domain.socio_eco import SocioEcoIndicators
from chaos.entrypoints.web.app_factory import create_app
from chaos.entrypoints.web.appetence_schema import EXAMPLE_REQUEST
from chaos.infrastructure.config import Settings
from chaos.infrastructure.config.settings import ModelSettings
from chaos.infrastructure.models.publishing import ArtifactPublisher
from tests.artifacts import save_model
from tests.fakes import VOCABULARY, InMemorySocioEcoRepository
from tests.web_clients import keyed_client

BODY = {**EXAMPLE_REQUEST, "date": "2008-06-15"}
MAY = SocioEcoIndicators(date(2008, 5, 31), 1.1, 93.9, -36.4)


@pytest.fixture
def store(tmp_path):
    older = save_model(tmp_path, champion=False)
    champion = save_model(tmp_path, champion=True, vocabulary={**VOCABULARY, "job_type": ["Astronaute"]})
    return ArtifactPublisher(tmp_path), older, champion


def serve(store, **model_settings):
    directory = store[0].storage.directory
    settings = Settings(model=ModelSettings(directory=directory, **model_settings))
    return create_app(web_worker(settings, repository=InMemorySocioEcoRepository([MAY])))


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


class CountingStore(ArtifactPublisher):
    """The real store, noting each version it is asked to load."""

    def __init__(self, directory):
        super().__init__(directory)
        self.loads: list[str] = []

    def load(self, version):
        self.loads.append(version)
        return super().load(version)


def test_loaded_versions_are_bounded(tmp_path):
    versions = [save_model(tmp_path, champion=index == 0) for index in range(4)]
    store = CountingStore(tmp_path)
    registry = ModelRegistry(store.load(versions[0]), store, capacity=2)
    for version in versions:
        assert registry.model(version).version == version
    store.loads.clear()
    for version in (versions[3], versions[2], versions[0]):  # the default, then the two most recently used
        registry.model(version)
    assert store.loads == []
    registry.model(versions[1])  # evicted: loaded again
    assert store.loads == [versions[1]]
