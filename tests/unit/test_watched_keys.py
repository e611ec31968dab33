"""Keys follow the configuration file: a key added or revoked in it is let in or refused once the
check interval has passed, the way Kubernetes replaces a mounted Secret (a symlink swap) included; a
file that cannot be used keeps the previous keys, logged and counted; a new process reads it at once."""

import logging
import os
from pathlib import Path

import pytest
import yaml

from chaos.infrastructure import process_id
from chaos.infrastructure.api_keys import Scope, key_hash, new_key
from chaos.infrastructure.config import load_settings
from chaos.infrastructure.config.watched_keys import APPLIED, REFUSED, WatchedKeys

OLD, NEW = new_key(), new_key()
CHECK_SECONDS = 10.0


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def config(*keys: str, check_seconds: float = CHECK_SECONDS) -> str:
    entries = [{"hash": key_hash(key), "scopes": [Scope.SCORE.value]} for key in keys]
    return yaml.safe_dump({"api": {"keys": entries, "keys_check_seconds": check_seconds}})


@pytest.fixture
def events() -> list[str]:
    return []


def watched(path: Path, clock: Clock, events: list[str]) -> WatchedKeys:
    settings = load_settings(path)
    return WatchedKeys(
        settings.api.grants(), path, settings.api.keys_check_seconds, events.append, clock=clock
    )


def knows(keys: WatchedKeys, key: str) -> bool:
    return keys.ring().caller(key) is not None


def test_a_revoked_key_is_refused_and_an_added_one_let_in_once_the_interval_has_passed(tmp_path, events):
    path, clock = tmp_path / "config.yml", Clock()
    path.write_text(config(OLD))
    keys = watched(path, clock, events)
    assert knows(keys, OLD) and not knows(keys, NEW)

    path.write_text(config(NEW, NEW))  # another size: a new file even within the mtime's granularity
    clock.now = CHECK_SECONDS - 0.1
    assert knows(keys, OLD), "checked before its interval"
    clock.now = CHECK_SECONDS
    assert knows(keys, NEW) and not knows(keys, OLD)
    assert events == [APPLIED]


def test_a_secret_volume_update_is_followed_through_its_symlink_swap(tmp_path, events):
    """Kubernetes writes the new Secret in a new folder, then renames a symlink `..data` onto it."""
    mount, clock = tmp_path / "secrets", Clock()
    mount.mkdir()
    for version, key in (("..v1", OLD), ("..v2", NEW)):
        (mount / version).mkdir()
        (mount / version / "config.yml").write_text(config(key))
    (mount / "..data").symlink_to("..v1")
    (mount / "config.yml").symlink_to("..data/config.yml")
    keys = watched(mount / "config.yml", clock, events)
    assert knows(keys, OLD)

    (mount / "..data_tmp").symlink_to("..v2")
    os.replace(mount / "..data_tmp", mount / "..data")
    clock.now = CHECK_SECONDS
    assert knows(keys, NEW) and not knows(keys, OLD)


@pytest.mark.parametrize(
    "broken",
    ["api: [keys", yaml.safe_dump({"api": {"keys": ["sha256:not-a-hash"]}}), "api: {keys: []}\nnope: 1"],
    ids=["invalid YAML", "invalid hash", "unknown section"],
)
def test_a_file_that_cannot_be_used_keeps_the_previous_keys_logged_and_counted_once(
    tmp_path, events, caplog, broken
):
    path, clock = tmp_path / "config.yml", Clock()
    path.write_text(config(OLD))
    keys = watched(path, clock, events)
    path.write_text(broken)
    with caplog.at_level(logging.ERROR):
        for step in (1, 2):
            clock.now = step * CHECK_SECONDS
            assert knows(keys, OLD)
    assert events == [REFUSED], "a bad file is reported once, not at every check"
    (record,) = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert "previous 1 keys stay" in record.getMessage() and str(path) in record.getMessage()

    path.write_text(config(NEW))
    clock.now = 3 * CHECK_SECONDS
    assert knows(keys, NEW) and events == [REFUSED, APPLIED]


def test_a_removed_file_keeps_the_previous_keys(tmp_path, events):
    path, clock = tmp_path / "config.yml", Clock()
    path.write_text(config(OLD))
    keys = watched(path, clock, events)
    path.unlink()
    clock.now = CHECK_SECONDS
    assert knows(keys, OLD) and events == [REFUSED]


def test_a_new_process_reads_the_file_at_once_even_with_checks_off(tmp_path, events, monkeypatch):
    """gunicorn answers SIGHUP with new workers: each reads the keys before its first request."""
    path, clock = tmp_path / "config.yml", Clock()
    path.write_text(config(OLD, check_seconds=0))
    keys = watched(path, clock, events)
    path.write_text(config(NEW, check_seconds=0))
    clock.now = 10 * 3600
    assert knows(keys, OLD), "checks are off: the same process keeps its keys"

    monkeypatch.setattr(process_id, "current", lambda: -1)  # as in a forked worker
    assert knows(keys, NEW) and not knows(keys, OLD)


def test_the_built_in_settings_have_nothing_to_follow(events):
    keys = WatchedKeys([], None, CHECK_SECONDS, events.append)
    assert not knows(keys, OLD) and events == []


def test_the_keys_in_force_are_told_at_start_and_at_each_applied_change_only(tmp_path):
    path, clock = tmp_path / "config.yml", Clock()
    path.write_text(config(OLD))
    told: list[list[str]] = []
    settings = load_settings(path)
    keys = WatchedKeys(
        settings.api.grants(),
        path,
        CHECK_SECONDS,
        clock=clock,
        on_grants=lambda grants: told.append([grant.hash for grant in grants]),
    )
    path.write_text("api: [")
    clock.now = CHECK_SECONDS
    assert knows(keys, OLD)
    path.write_text(config(NEW, NEW))
    clock.now = 2 * CHECK_SECONDS
    assert knows(keys, NEW)
    assert told == [[key_hash(OLD)], [key_hash(NEW), key_hash(NEW)]]
