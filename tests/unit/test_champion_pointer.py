"""The champion pointer is a signed statement chained to the one before: a pointer written by hand,
forged by another key, replayed from an older statement or plain garbage is refused, the newest
statement that can be proven is followed, and every refusal is said (the reader's status, the
listing, the history)."""

import json
import shutil

import pytest

from chaos.application.champion import promote, rollback
from chaos.application.model_registry import ModelRegistry
from chaos.domain.model_store import ModelLoadError
from chaos.infrastructure.models.champion_pointer import digest, entry_key
from chaos.infrastructure.models.publishing import ArtifactPublisher
from chaos.infrastructure.models.signing import Ed25519PrivateKey, sign
from tests.artifacts import save_model
from tests.support.pointer_edits import hand_edits_change_nothing


@pytest.fixture
def store(tmp_path):
    """Three versions: the first champion, then promoted to the second (sequence 2)."""
    first = save_model(tmp_path, champion=True)
    second, third = save_model(tmp_path, champion=False), save_model(tmp_path, champion=False)
    publisher = ArtifactPublisher(tmp_path)
    publisher.set_champion(second, {"decision": "forced"})
    return publisher, first, second, third


def statement_of(content: bytes) -> dict:
    return json.loads(content)["manifest"]


def test_each_change_is_a_signed_statement_chained_to_the_previous_one_and_kept_in_history(store):
    publisher, first, second, _ = store
    directory = publisher.storage.directory
    pointer = (directory / "CHAMPION").read_bytes()
    assert (directory / entry_key(2)).read_bytes() == pointer
    statement = statement_of(pointer)
    assert statement["kind"] == "champion" and statement["to"] == second and statement["from"] == first
    assert statement["sequence"] == 2 and statement["decision"] == "forced"
    assert statement["previous"] == digest((directory / entry_key(1)).read_bytes())
    assert statement_of((directory / entry_key(1)).read_bytes())["previous"] is None
    status = ArtifactPublisher(directory).champion_status()
    assert (status.version, status.sequence, status.problem) == (second, 2, None)
    assert [event["sequence"] for event in publisher.history()] == [2, 1]
    assert all("problem" not in event for event in publisher.history())


@pytest.mark.parametrize("content", [b"{third}\n", b"\xff\xfe\x00binary", b""])
def test_a_pointer_written_by_hand_is_refused_and_the_newest_proven_champion_is_kept(store, content):
    publisher, _, second, third = store
    path = publisher.storage.directory / "CHAMPION"
    path.write_bytes(content.replace(b"{third}", third.encode()))
    for reader in (publisher, ArtifactPublisher(publisher.storage.directory)):  # running and restarted
        status = reader.champion_status()
        assert (
            status.version == second and "CHAMPION refused: not a signed champion statement" in status.problem
        )
        assert "chaos models promote" in status.problem and "\n" not in status.problem
        assert reader.load().version == second


def test_a_pointer_signed_by_another_key_is_refused(store):
    publisher, _, second, third = store
    forged = statement_of((publisher.storage.directory / "CHAMPION").read_bytes()) | {
        "to": third,
        "sequence": 9,
    }
    (publisher.storage.directory / "CHAMPION").write_bytes(sign(forged, Ed25519PrivateKey.generate()))
    status = ArtifactPublisher(publisher.storage.directory).champion_status()
    assert status.version == second and "not by a trusted key" in status.problem


def test_an_older_signed_pointer_replayed_is_refused_by_a_running_and_a_restarted_reader(store):
    publisher, _, second, _ = store
    directory = publisher.storage.directory
    running = ArtifactPublisher(directory)
    assert running.champion() == second
    shutil.copy(directory / entry_key(1), directory / "CHAMPION")  # the older signed pointer, replayed
    for reader in (running, ArtifactPublisher(directory)):
        status = reader.champion_status()
        assert status.version == second and "sequence 1 is older than" in status.problem
        assert "replayed" in status.problem


def test_a_running_reader_refuses_a_replay_even_with_the_history_rewound(store):
    """Removing the newer history entries fools a fresh reader, never one that followed them."""
    publisher, _, second, _ = store
    directory = publisher.storage.directory
    running = ArtifactPublisher(directory)
    assert running.champion() == second
    shutil.copy(directory / entry_key(1), directory / "CHAMPION")
    (directory / entry_key(2)).unlink()
    status = running.champion_status()
    assert status.version == second and "older than the one served" in status.problem


def test_a_refused_pointer_is_counted_and_logged_and_the_served_model_stays(store, caplog):
    publisher, _, second, third = store
    events: list = []
    models = ModelRegistry(publisher.load(), publisher, 2, on_refresh_failure=events.append)
    (publisher.storage.directory / "CHAMPION").write_text(third + "\n")
    assert models.refresh() is False
    assert models.default.version == second and events == ["pointer"]
    assert f"champion pointer refused, serving {second}: CHAMPION refused" in caplog.text
    listing = models.summaries()
    assert listing["champion_problem"].startswith("CHAMPION refused: not a signed champion statement")
    assert [model["version"] for model in listing["models"] if model["champion"]] == [second]


def test_promote_and_rollback_keep_the_chain_and_are_followed(store):
    publisher, _, second, third = store
    reader = ArtifactPublisher(publisher.storage.directory)
    assert reader.champion() == second
    promote(publisher, third, force=True, command="test")
    assert reader.champion_status().version == third
    rollback(publisher, None, command="test")
    status = reader.champion_status()
    assert (status.version, status.sequence, status.problem) == (second, 4, None)
    assert [event["sequence"] for event in publisher.history()] == [4, 3, 2, 1]


def test_a_history_entry_edited_by_hand_shows(store):
    publisher, first, _, _ = store
    path = publisher.storage.directory / entry_key(1)
    path.write_text(path.read_text().replace(first, "20000101T000000Z"))
    (refused,) = [event for event in publisher.history() if "problem" in event]
    assert refused["object"] == str(path) and "not a signed champion statement" in refused["problem"]
    assert publisher.problems() == [f"{path}: {refused['problem']}"]


def test_a_removed_history_entry_breaks_the_chain_visibly(store):
    publisher, _, _, third = store
    promote(publisher, third, force=True, command="test")
    (publisher.storage.directory / entry_key(2)).unlink()
    (broken,) = [event for event in publisher.history() if "problem" in event]
    assert broken["sequence"] == 3 and broken["problem"] == "does not chain to the entry of sequence 1"


def test_a_store_with_an_unsigned_pointer_is_migrated_by_promoting_its_champion(tmp_path):
    """A store written before pointers were signed: its plain pointer proves nothing, so nothing is
    served until `chaos models promote` signs it (docs/operations.md)."""
    version = save_model(tmp_path, champion=False)
    (tmp_path / "CHAMPION").write_text(version + "\n")
    (tmp_path / "history").mkdir()
    (tmp_path / "history" / "20240101T000000.000000Z-0123abcd.json").write_text(
        json.dumps(
            {"from": None, "to": version, "at": "2024-01-01T00:00:00+00:00", "host": "h", "command": "c"}
        )
    )
    store = ArtifactPublisher(tmp_path)
    with pytest.raises(ModelLoadError, match=r"no champion model .* not a signed champion.*promote"):
        store.load()
    change = promote(store, version, force=False, command="chaos models promote")
    assert change.why == {"decision": "first champion"}
    assert ArtifactPublisher(tmp_path).load().version == version
    legacy = [event for event in store.history() if event.get("sequence") is None]
    assert (
        legacy[0]["problem"] == "recorded before champion changes were signed" and legacy[0]["to"] == version
    )


def test_a_hand_edited_local_pointer_changes_nothing_served_and_is_said_everywhere(
    store, capsys, monkeypatch
):
    publisher, first, second, _ = store
    directory = publisher.storage.directory
    hand_edits_change_nothing(
        {"model": {"directory": str(directory)}},
        second,
        {
            "another signed version named by hand": f"{first}\n".encode(),
            "an older signed pointer": (directory / entry_key(1)).read_bytes(),
            "binary": b"\x89PNG\r\n\x1a\n\xff",
        },
        (directory / "CHAMPION").write_bytes,
        str(directory.parent),
        capsys,
        monkeypatch,
    )
