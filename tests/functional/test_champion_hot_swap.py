"""Promotions and rollbacks under constant load, on gunicorn against 127.0.0.1: every worker follows
the champion pointer without a restart, no answer fails, none waits for a model to load, and each
answer comes from one of the two versions. Bounded: a few seconds of steady load, then five promote
and rollback rounds."""

import shutil
import signal
import statistics
import time

import pytest

from chaos.application.champion import promote, rollback
from chaos.entrypoints.web.appetence_schema import EXAMPLE_REQUEST
from chaos.infrastructure.models.publishing import ArtifactPublisher
from chaos.infrastructure.training.packaging import packaged
from tests.resilience.load import Load, Outcome
from tests.support.served import configuration, seed
from tests.web_clients import DEMO_AUTHORIZATION

CLIENTS = 8
REFRESH_SECONDS = 0.5
STEADY_SECONDS = 4
ROUNDS = 5


@pytest.fixture(autouse=True)
def demo_data(database_settings) -> None:
    """Freshly seeded tables: the session's database holds whatever an earlier test left in it."""
    seed(database_settings)


def p99(outcomes: list[Outcome]) -> float:
    return statistics.quantiles([outcome.seconds for outcome in outcomes], n=100)[98]


def served_by(load: Load, version: str, since: float, timeout: float) -> float:
    """Seconds until every answer sent after a moment is from `version` (all workers followed)."""
    deadline = since + timeout
    while time.monotonic() < deadline:
        time.sleep(0.1)
        recent = load.between(time.monotonic() - 0.5)
        if recent and all(outcome.model_version == version for outcome in recent):
            return time.monotonic() - since
    raise AssertionError(f"{version} not served by every worker within {timeout} s")


@pytest.mark.slow
def test_promotions_and_rollbacks_under_load_are_followed_without_a_failed_or_slow_answer(
    start_server, database_settings, trained_models, tmp_path
):
    models = shutil.copytree(trained_models[0], tmp_path / "models")
    store = ArtifactPublisher(models)
    first = store.champion()
    assert first is not None
    loaded = store.load(first)
    second = store.publish(packaged(loaded.pipeline), {**loaded.metadata, "promotion": None}, champion=False)
    settings = configuration(database_settings, models) | {
        "model": {"directory": str(models), "refresh_seconds": REFRESH_SECONDS}
    }
    server = start_server(settings, workers=2).wait_until_up("/ready")

    with Load(server.url, DEMO_AUTHORIZATION, clients=CLIENTS) as load:
        time.sleep(STEADY_SECONDS)
        steady_end = time.monotonic()
        followed = []
        for _ in range(ROUNDS):
            moved = time.monotonic()
            promote(store, second, force=True, command="hot-swap test")
            followed.append(served_by(load, second, moved, REFRESH_SECONDS + 5))
            moved = time.monotonic()
            rollback(store, None, command="hot-swap test")
            followed.append(served_by(load, first, moved, REFRESH_SECONDS + 5))
        swaps_end = time.monotonic()

    steady, swapping = load.between(0, steady_end), load.between(steady_end, swaps_end)
    everything = steady + swapping
    print(
        f"\nhot swap: {len(steady)} steady answers (p99 {p99(steady) * 1000:.1f} ms), {len(swapping)} "
        f"during {2 * ROUNDS} moves (p99 {p99(swapping) * 1000:.1f} ms); followed within "
        f"{max(followed):.2f} s at most (refresh {REFRESH_SECONDS} s); noisy on a shared machine"
    )
    assert [outcome for outcome in everything if outcome.status != 200] == []
    assert {outcome.model_version for outcome in everything} == {first, second}
    assert p99(swapping) <= 2 * p99(steady)


def test_a_respawned_worker_answers_with_the_champion_promoted_since_the_master_loaded(
    start_server, database_settings, trained_models, tmp_path
):
    """The master loaded the first champion at boot; a worker it forks after a promotion reads the
    pointer before its first answer, not a refresh period later (an hour here)."""
    models = shutil.copytree(trained_models[0], tmp_path / "models")
    store = ArtifactPublisher(models)
    first = store.champion()
    loaded = store.load(first)
    second = store.publish(packaged(loaded.pipeline), {**loaded.metadata, "promotion": None}, champion=False)
    settings = configuration(database_settings, models) | {
        "model": {"directory": str(models), "refresh_seconds": 3600}
    }
    server = start_server(settings, workers=1).wait_until_up("/ready")
    assert server.get("/ready").json()["model_version"] == first
    promote(store, second, force=True, command="respawn test")
    (worker,) = server.worker_pids()
    server.signal_worker(worker, signal.SIGKILL)  # gunicorn forks a new one from the master
    server.wait_for_workers(1, excluding={worker})
    assert server.get("/ready").json()["model_version"] == second
    assert server.post("/appetence", json=EXAMPLE_REQUEST).json()["model_version"] == second
