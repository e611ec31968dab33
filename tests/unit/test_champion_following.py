"""Workers follow the champion pointer: a new champion is loaded and verified off the request path,
then swapped in at once; a version that cannot be served is refused and counted, the served one stays."""

import threading
import time
from datetime import date

import pytest

from chaos.application.model_registry import ModelRegistry
from chaos.bootstrap import web_worker
from chaos.domain.socio_eco import SocioEcoIndicators
from chaos.entrypoints.web import request_schemas
from chaos.entrypoints.web.app_factory import create_app
from chaos.entrypoints.web.appetence_schema import EXAMPLE_REQUEST, AppetenceSchema
from chaos.entrypoints.web.extension import current_serving
from chaos.infrastructure.config import Settings
from chaos.infrastructure.config.settings import ModelSettings
from chaos.infrastructure.models.publishing import ArtifactPublisher
from tests.artifacts import save_model
from tests.fakes import InMemorySocioEcoRepository
from tests.web_clients import keyed_client, samples

MAY = SocioEcoIndicators(date(2008, 5, 31), 1.1, 93.9, -36.4)
REPOSITORY = InMemorySocioEcoRepository([MAY])


@pytest.fixture
def store(tmp_path):
    first = save_model(tmp_path, champion=True)
    second = save_model(tmp_path, champion=False)
    return ArtifactPublisher(tmp_path), first, second


def registry(store: ArtifactPublisher, events: list, refresh_seconds: float = 0) -> ModelRegistry:
    return ModelRegistry(
        store.load(),
        store,
        capacity=2,
        refresh_seconds=refresh_seconds,
        on_swap=lambda old, new: events.append(("swap", old, new)),
        on_refresh_failure=lambda reason: events.append(("failed", reason)),
    )


def test_a_new_champion_is_swapped_in_and_a_taken_model_stays_whole(store):
    store, first, second = store
    events: list = []
    models = registry(store, events)
    taken = models.model(None)  # what a running request holds
    assert models.refresh() is False and events == []  # nothing changed
    store.set_champion(second, {"decision": "forced"})
    assert models.refresh() is True
    assert models.model(None).version == second and taken.version == first
    assert events == [("swap", first, second)]


def test_a_champion_that_cannot_be_served_is_refused_counted_and_the_served_one_stays(store, caplog):
    store, first, second = store
    events: list = []
    models = registry(store, events)
    store.set_champion(second, {"decision": "forced"})
    (store.storage.directory / second / "scorer.json").write_text("{}")
    assert models.refresh() is False
    assert models.default.version == first and events == [("failed", "version")]
    assert f"champion not followed, still serving {first}: model {second}" in caplog.text


def test_the_follower_thread_swaps_within_its_interval(store):
    store, first, second = store
    events: list = []
    models = registry(store, events, refresh_seconds=0.05)
    models.follow()  # what each request does: the first one starts the follower
    models.follow()
    assert models.default.version == first
    store.set_champion(second, {"decision": "forced"})
    deadline = time.monotonic() + 5
    while models.default.version != second and time.monotonic() < deadline:
        time.sleep(0.02)
    assert models.default.version == second and events == [("swap", first, second)]
    follower = next(thread for thread in threading.enumerate() if thread.name == "champion-follower")
    models.stop()
    assert not follower.is_alive()


def test_the_app_follows_the_champion_and_a_pinned_version_stays(store):
    store, first, second = store
    directory = store.storage.directory
    following = Settings(model=ModelSettings(directory=directory, refresh_seconds=0.05))
    pinned = Settings(model=ModelSettings(directory=directory, refresh_seconds=0.05, version=first))
    apps = [
        keyed_client(create_app(web_worker(settings, repository=InMemorySocioEcoRepository([MAY]))))
        for settings in (following, pinned)
    ]
    body = {**EXAMPLE_REQUEST, "date": "2008-06-15"}
    assert [app.post("/appetence", json=body).json["model_version"] for app in apps] == [first, first]
    store.set_champion(second, {"decision": "forced"})
    deadline = time.monotonic() + 5
    while apps[0].post("/appetence", json=body).json["model_version"] != second:
        assert time.monotonic() < deadline, "the champion was not followed within 5 s"
        time.sleep(0.05)
    defaults = [model["version"] for model in apps[0].get("/models").json["models"] if model["default"]]
    assert defaults == [second] and apps[0].get(f"/models/{second}").json["champion"] is True
    assert apps[1].post("/appetence", json=body).json["model_version"] == first


def test_the_metrics_follow_the_swap_and_count_the_refused_champions(store):
    store, first, second = store
    app = keyed_client(
        create_app(
            web_worker(
                Settings(model=ModelSettings(directory=store.storage.directory)), repository=REPOSITORY
            )
        )
    )
    with app.application.app_context():
        models = current_serving().service.models
    before = samples(app)
    store.set_champion(second, {"decision": "forced"})
    assert models.refresh() is True
    after = samples(app)
    assert after[("chaos_model_info", (("role", "default"), ("version", first)))] == 0
    assert after[("chaos_model_info", (("role", "default"), ("version", second)))] == 1
    third = save_model(store.storage.directory, champion=False)
    store.set_champion(third, {"decision": "forced"})
    (store.storage.directory / third / "scorer.json").write_text("{}")
    assert models.refresh() is False and models.default.version == second
    failures = ("chaos_model_refresh_failures_total", (("reason", "version"),))
    assert samples(app)[failures] == before.get(failures, 0) + 1


def test_building_the_app_starts_no_thread_the_first_request_does(store):
    """gunicorn builds the app in its master, then forks: a thread running there could leave a lock
    held in every worker."""
    store, _, _ = store
    settings = Settings(model=ModelSettings(directory=store.storage.directory, refresh_seconds=60))

    def followers() -> int:
        return sum(thread.name == "champion-follower" for thread in threading.enumerate())

    before = followers()
    app = keyed_client(create_app(web_worker(settings, repository=REPOSITORY)))
    assert followers() == before
    app.get("/health")
    assert followers() == before + 1


def test_a_new_champion_is_prepared_before_it_serves_and_refused_if_it_cannot_be(store):
    """The web's request schemas of a new champion are built by the follower, not by the first
    request after the swap; a champion they cannot be built for is refused like an unservable one."""
    store, first, second = store
    prepared: list[str] = []
    events: list = []

    def prepare(model) -> None:
        prepared.append(model.version)
        if len(prepared) > 2:
            raise ValueError("no request schema for this vocabulary")

    models = ModelRegistry(
        store.load(),
        store,
        capacity=2,
        prepare=prepare,
        on_refresh_failure=lambda reason: events.append("failed"),
    )
    store.set_champion(second, {"decision": "forced"})
    assert models.refresh() is True and prepared == [first, second]
    third = save_model(store.storage.directory, champion=False)
    store.set_champion(third, {"decision": "forced"})
    assert models.refresh() is False and models.default.version == second and events == ["failed"]


def test_the_web_worker_builds_a_swapped_in_champion_schemas_before_it_serves(store, monkeypatch):
    store, _, second = store
    settings = Settings(model=ModelSettings(directory=store.storage.directory))
    worker = web_worker(settings, repository=REPOSITORY)
    built = []

    def counted(vocabulary):
        built.append(vocabulary)
        return AppetenceSchema(vocabulary)

    monkeypatch.setattr(request_schemas, "AppetenceSchema", counted)
    store.set_champion(second, {"decision": "forced"})
    assert worker.service.models.refresh() is True and len(built) == 1
    worker.schemas.of(worker.service.models.default)  # what the first request after the swap asks
    assert len(built) == 1
