"""API keys change on a running gunicorn server without a restart: a key removed from the
configuration file is refused (403, as any unknown key), and a key added let in, by every worker
within `api.keys_check_seconds` of the file's replacement (made as Kubernetes updates a mounted
Secret: a symlink swap); with checks off, SIGHUP applies it; a file that cannot be used keeps the
previous keys, logged and counted."""

import os
import signal
import time
from pathlib import Path

import pytest
import requests
import yaml

from chaos.infrastructure.api_keys import Scope, key_hash, new_key
from chaos.infrastructure.models.signing import public_text
from harness.network import free_port
from harness.publisher import PUBLISHER
from harness.server import ServerProcess, gunicorn_command, gunicorn_environment
from tests.artifacts import published_by_publisher, save_model

OLD, NEW = new_key(), new_key()
CHECK_SECONDS = 1.0
MARGIN_SECONDS = 0.5
"""Beyond the interval: the time a request takes to reach a worker and be answered."""
WORKERS = 2
PROBES = 12
"""Requests per key after a change: enough to reach every worker of WORKERS."""


class SecretVolume:
    """A mounted Secret's folder as the kubelet lays it out, config.yml a link to ..data/config.yml and
    ..data a link to the current version's folder, replaced by renaming a new link over it."""

    def __init__(self, root: Path):
        self.root, self.versions = root, 0
        root.mkdir()

    @property
    def config(self) -> Path:
        return self.root / "config.yml"

    def write(self, text: str) -> None:
        self.versions += 1
        version = self.root / f"..version-{self.versions}"
        version.mkdir()
        (version / "config.yml").write_text(text)
        (self.root / "..data_tmp").symlink_to(version.name)
        os.replace(self.root / "..data_tmp", self.root / "..data")
        if not self.config.is_symlink():
            self.config.symlink_to("..data/config.yml")


def configuration(models: Path, keys: list[str], check_seconds: float) -> str:
    return yaml.safe_dump(
        {
            # never reached: the keys are checked before any route, and /models reads the model store
            "database": {"embedded": False, "port": free_port()},
            "model": {"directory": str(models), "public_keys": [public_text(PUBLISHER)]},
            "api": {
                "keys": [{"hash": key_hash(key), "scopes": [Scope.READ_MODELS.value]} for key in keys],
                "keys_check_seconds": check_seconds,
            },
        }
    )


@pytest.fixture
def models(tmp_path) -> Path:
    save_model(tmp_path / "models", champion=True, store=published_by_publisher(tmp_path / "models"))
    return tmp_path / "models"


def serve(tmp_path: Path, volume: SecretVolume) -> ServerProcess:
    port = free_port()
    environment = os.environ | gunicorn_environment(port, WORKERS, volume.config)
    url = f"http://127.0.0.1:{port}"
    return ServerProcess(gunicorn_command(), environment, tmp_path, url, tmp_path / "gunicorn.log").start()


def statuses(server: ServerProcess, key: str) -> set[int]:
    """The answers of PROBES requests with `key`, each on a new connection (any worker may take it)."""
    return {
        requests.get(
            f"{server.url}/models", headers={"Authorization": f"Bearer {key}"}, timeout=10
        ).status_code
        for _ in range(PROBES)
    }


def test_a_removed_key_is_refused_and_an_added_one_let_in_within_the_check_interval(tmp_path, models):
    volume = SecretVolume(tmp_path / "secrets")
    volume.write(configuration(models, [OLD], CHECK_SECONDS))
    with serve(tmp_path, volume) as server:
        assert (statuses(server, OLD), statuses(server, NEW)) == ({200}, {403})

        volume.write(configuration(models, [NEW], CHECK_SECONDS))
        changed = time.monotonic()
        while statuses(server, NEW) != {200}:
            assert time.monotonic() - changed < CHECK_SECONDS + MARGIN_SECONDS, server.output()
        first_seen = time.monotonic() - changed
        time.sleep(max(0.0, CHECK_SECONDS + MARGIN_SECONDS - (time.monotonic() - changed)))
        assert (statuses(server, OLD), statuses(server, NEW)) == ({403}, {200}), "some worker lags"
        print(f"\nkey change first seen after {first_seen:.2f} s, by every worker within {CHECK_SECONDS} s")


def test_with_checks_off_sighup_applies_a_key_change_in_every_worker(tmp_path, models):
    volume = SecretVolume(tmp_path / "secrets")
    volume.write(configuration(models, [OLD], 0))
    with serve(tmp_path, volume) as server:
        server.wait_for_workers(WORKERS)
        time.sleep(MARGIN_SECONDS)  # each worker reads the file as it is forked: let the last one do so
        assert statuses(server, OLD) == {200}
        volume.write(configuration(models, [NEW], 0))
        time.sleep(CHECK_SECONDS + MARGIN_SECONDS)
        assert (statuses(server, OLD), statuses(server, NEW)) == ({200}, {403}), "checks are off"

        before = server.worker_pids()
        server.signal(signal.SIGHUP)
        server.wait_for_workers(WORKERS, excluding=before)
        deadline = time.monotonic() + 10  # the old workers finish their requests and leave
        while statuses(server, OLD) != {403}:
            assert time.monotonic() < deadline, server.output()
        assert statuses(server, NEW) == {200}


def test_a_file_that_cannot_be_used_keeps_the_keys_logged_and_counted(tmp_path, models):
    volume = SecretVolume(tmp_path / "secrets")
    volume.write(configuration(models, [OLD], CHECK_SECONDS))
    with serve(tmp_path, volume) as server:
        volume.write("api: {keys: [sha256:not-a-hash]}\n")
        time.sleep(CHECK_SECONDS + MARGIN_SECONDS)
        assert (statuses(server, OLD), statuses(server, NEW)) == ({200}, {403})
        metrics = requests.get(f"{server.url}/metrics", timeout=10).text
        (refused,) = [
            line
            for line in metrics.splitlines()
            if line.startswith('chaos_api_key_reloads_total{result="refused"}')
        ]
        assert float(refused.split()[-1]) >= 1, metrics
        assert "api.keys not reloaded, the previous 1 keys stay" in server.output()
