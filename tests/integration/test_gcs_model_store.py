"""The model store on Google Cloud Storage, through the official client, against a real GCS JSON API
on the loopback (gcp-storage-emulator, harness/gcs.py, behind tests/support/gcs.py's front): the
same verification as the local directory, preconditions proven on the wire, the 412 paths, and every
bad state one line."""

import json
import time

import pytest
from google.api_core.retry import Retry
from google.cloud import storage

from chaos.application.champion import promote, rollback
from chaos.bootstrap import web_worker
from chaos.domain.model_store import ChampionConflict, ModelLoadError
from chaos.entrypoints.web.app_factory import create_app
from chaos.infrastructure.config import Settings
from chaos.infrastructure.config.loader import ConfigurationError, load_settings
from chaos.infrastructure.models import gcs_storage
from chaos.infrastructure.models.champion_pointer import entry_key
from chaos.infrastructure.models.configured import configured_publisher, configured_reader
from chaos.infrastructure.models.gcs_storage import GcsStorage
from chaos.infrastructure.models.publishing import ArtifactPublisher
from chaos.infrastructure.models.signing import public_text
from chaos.infrastructure.models.storage import ObjectExists
from harness.gcs import BUCKET
from harness.network import free_port
from harness.publisher import PUBLISHER
from tests.artifacts import multiply_a_weight, save_model
from tests.fakes import InMemorySocioEcoRepository
from tests.support.pointer_edits import hand_edits_change_nothing
from tests.web_clients import keyed_client


@pytest.fixture
def prefix(request) -> str:
    """A prefix of its own per test: one emulator serves the whole test run."""
    return f"{request.node.name[:40]}-{id(request)}"


def bucket_store(prefix: str, bucket: str = BUCKET) -> ArtifactPublisher:
    return ArtifactPublisher(GcsStorage(f"gs://{bucket}/{prefix}"), [public_text(PUBLISHER)], PUBLISHER)


def objects() -> storage.Bucket:
    """The bucket through a client of the test's own: what an attacker with write access would use."""
    return storage.Client().bucket(BUCKET)


def one_line(store: ArtifactPublisher, version: str | None, pattern: str) -> None:
    with pytest.raises(ModelLoadError, match=pattern) as raised:
        store.load(version)
    assert "\n" not in str(raised.value)


def test_a_version_published_to_the_bucket_is_served_like_a_local_one(gcs, prefix, tmp_path):
    store = bucket_store(prefix)
    version = save_model(tmp_path, champion=True, store=store)
    local = save_model(tmp_path / "local", champion=True)
    model, reference = store.load(), ArtifactPublisher(tmp_path / "local").load(local)
    assert model.version == version and model.scorer.to_json() == reference.scorer.to_json()
    assert store.versions() == [version] and store.champion() == version
    assert store.report(version).startswith(b"<!DOCTYPE html>")
    assert store.where(version) == f"gs://{BUCKET}/{prefix}/{version}/"


def test_every_write_is_create_only_and_every_pointer_change_carries_the_generation_it_read(
    gcs, prefix, tmp_path
):
    store = bucket_store(prefix)
    first = save_model(tmp_path, champion=True, store=store)
    second = save_model(tmp_path, champion=False, store=store)
    promote(store, second, force=True, command="test")
    rollback(store, None, command="test")
    writes = [entry for entry in gcs.recorded if entry.name is not None]
    pointer = f"{prefix}/CHAMPION"
    versions = [entry for entry in writes if entry.name != pointer]
    assert all(entry.query.get("ifGenerationMatch") == "0" for entry in versions)
    written = [entry.name for entry in versions if entry.status == 200]
    assert sorted({name.split("/")[1] for name in written}) == sorted([first, second, "history"])
    assert len(written) == 2 * 5 + 3  # five objects per version, one history entry per change
    # a name already taken in the same second is refused by the bucket, and the next one is used
    assert all(entry.name.split("/")[1] == first for entry in versions if entry.status == 412)
    changes = gcs.uploads_of(pointer)
    assert len(changes) == 3 and changes[0].query["ifGenerationMatch"] == "0"
    metadata_path = f"/storage/v1/b/{BUCKET}/o/{pointer.replace('/', '%2F')}"
    for change in changes[1:]:
        before = gcs.recorded[: gcs.recorded.index(change)]
        reads = [entry for entry in before if entry.path == metadata_path and entry.generation]
        assert change.query["ifGenerationMatch"] == reads[-1].generation  # the generation it read
    assert store.champion() == first


def test_two_concurrent_promotions_one_wins_the_other_gets_a_clear_error(gcs, prefix, tmp_path):
    store = bucket_store(prefix)
    first = save_model(tmp_path, champion=True, store=store)
    second = save_model(tmp_path, champion=False, store=store)
    third = save_model(tmp_path, champion=False, store=store)
    read_by_one, read_by_other = store.champion_pointer(), store.champion_pointer()
    store.set_champion(second, {"decision": "forced"}, read_by_one)
    with pytest.raises(ChampionConflict, match=f"changed from {first} to {second} meanwhile") as raised:
        store.set_champion(third, {"decision": "forced"}, read_by_other)
    assert "\n" not in str(raised.value)
    assert gcs.uploads_of(f"{prefix}/CHAMPION")[-1].status == 412
    assert store.champion() == second and [event["to"] for event in store.history()] == [second, first]


def test_a_version_is_never_overwritten(gcs, prefix, tmp_path):
    store = bucket_store(prefix)
    version = save_model(tmp_path, champion=False, store=store)
    with pytest.raises(ObjectExists, match=f"gs://{BUCKET}/{prefix}/{version}/scorer.json exists"):
        store.storage.create(f"{version}/scorer.json", b"{}")
    assert gcs.recorded[-1].status == 412


def test_the_three_attacks_are_refused_in_a_bucket(gcs, prefix, tmp_path):
    store = bucket_store(prefix)
    first = save_model(tmp_path, champion=True, store=store)
    second = save_model(tmp_path, champion=False, store=store)
    bucket = objects()
    scorer = tmp_path / "scorer.json"
    scorer.write_bytes(bucket.blob(f"{prefix}/{first}/scorer.json").download_as_bytes())
    multiply_a_weight(scorer, 20)
    bucket.blob(f"{prefix}/{first}/scorer.json").upload_from_filename(scorer)
    one_line(store, first, "does not match its signed manifest")
    manifest = bucket.blob(f"{prefix}/{second}/manifest.json").download_as_bytes()
    bucket.blob(f"{prefix}/{first}/manifest.json").upload_from_string(manifest)
    one_line(store, first, f"is signed for version '{second}' \\(moved or swapped\\)")
    bucket.blob(f"{prefix}/{second}/extra.py").upload_from_string(b"import os")
    one_line(store, second, "extra.py is not in its manifest")


@pytest.mark.parametrize(
    ("damage", "pattern"),
    [
        ("manifest", "manifest.json is missing \\(a half-uploaded version"),
        ("model", "model.joblib is missing \\(a half-uploaded version\\)"),
    ],
)
def test_bad_states_of_a_bucket_are_one_line_errors_naming_the_object(gcs, prefix, tmp_path, damage, pattern):
    store = bucket_store(prefix)
    version = save_model(tmp_path, champion=True, store=store)
    bucket = objects()
    if damage == "manifest":
        bucket.blob(f"{prefix}/{version}/manifest.json").delete()
    else:
        bucket.blob(f"{prefix}/{version}/model.joblib").delete()
    one_line(store, None, f"gs://{BUCKET}/{prefix}/.*{pattern}|{pattern}")


def test_a_pointer_edited_by_hand_in_the_bucket_changes_nothing_served_and_is_said(
    gcs, prefix, tmp_path, capsys, monkeypatch
):
    published = bucket_store(prefix)
    first = save_model(tmp_path / "publisher", champion=True, store=published)
    second = save_model(tmp_path / "publisher", champion=False, store=published)
    published.set_champion(second, {"decision": "forced"})
    bucket = objects()
    model = {"store": f"gs://{BUCKET}/{prefix}", "public_keys": [public_text(PUBLISHER)]}
    hand_edits_change_nothing(
        {"model": model | {"directory": str(tmp_path / "copy")}},
        second,
        {
            "another signed version named by hand": f"{first}\n".encode(),
            "an older signed pointer": bucket.blob(f"{prefix}/{entry_key(1)}").download_as_bytes(),
            "binary": b"\x89PNG\r\n\x1a\n\xff",
            "empty": b"",
        },
        bucket.blob(f"{prefix}/CHAMPION").upload_from_string,
        str(tmp_path),
        capsys,
        monkeypatch,
    )


def test_a_missing_bucket_and_a_refused_permission_are_one_line_errors(gcs, prefix):
    one_line(bucket_store(prefix, "no-such-bucket"), None, "bucket no-such-bucket does not exist")
    gcs.forbidden = True
    one_line(bucket_store(prefix), None, f"gs://{BUCKET}/{prefix}/CHAMPION: permission denied")


def test_the_configured_store_is_the_bucket_and_refuses_the_demo_key(gcs, prefix, tmp_path):
    config = tmp_path / "config.yml"
    config.write_text(json.dumps({"model": {"store": f"gs://{BUCKET}/{prefix}"}}))
    with pytest.raises(ConfigurationError, match="demo signing key is published"):
        load_settings(config)
    key = tmp_path / "signing.pem"
    from chaos.infrastructure.models.signing import new_private_key_pem, read_private_key

    key.write_bytes(new_private_key_pem())
    settings = Settings.model_validate(
        {
            "model": {
                "store": f"gs://{BUCKET}/{prefix}",
                "public_keys": [public_text(read_private_key(key))],
                "signing_key_file": str(key),
                "directory": str(tmp_path / "copy"),  # the verified local copy: never the checkout's var/
            }
        }
    )
    store = configured_publisher(settings.model)
    version = save_model(tmp_path, champion=True, store=store)
    assert store.location == f"gs://{BUCKET}/{prefix}/" and store.load().version == version


@pytest.mark.slow
def test_a_store_that_cannot_be_reached_stops_the_start_with_one_line(monkeypatch, tmp_path):
    """Nothing listens there and nothing was verified before: the client retries for its bounded
    time, then the start stops, naming the bucket and the empty local copy."""
    monkeypatch.setenv("STORAGE_EMULATOR_HOST", f"http://127.0.0.1:{free_port()}")
    model = {"store": f"gs://{BUCKET}/unreachable", "public_keys": [public_text(PUBLISHER)]}
    settings = Settings.model_validate({"model": model | {"directory": str(tmp_path / "copy")}})
    started = time.monotonic()
    with pytest.raises(ModelLoadError) as raised:
        create_app(web_worker(settings, repository=InMemorySocioEcoRepository([])))
    message = str(raised.value)
    assert "\n" not in message and message.startswith(f"model store gs://{BUCKET}/unreachable/: ")
    assert "unreachable" in message and f"nothing verified in the local copy {tmp_path / 'copy'}" in message
    assert time.monotonic() - started < 60


def test_a_pod_restarted_while_the_bucket_is_unreachable_starts_on_its_verified_copy(
    gcs, prefix, tmp_path, monkeypatch
):
    published = bucket_store(prefix)
    first = save_model(tmp_path / "publisher", champion=True, store=published)
    second = save_model(tmp_path / "publisher", champion=False, store=published)
    model = {"store": f"gs://{BUCKET}/{prefix}", "public_keys": [public_text(PUBLISHER)]}
    settings = Settings.model_validate({"model": model | {"directory": str(tmp_path / "copy")}})
    assert configured_reader(settings.model).load().version == first  # a start: the copy is kept
    published.set_champion(second, {"decision": "forced"})
    followed = configured_reader(settings.model)
    assert followed.load(followed.champion()).version == second  # a refresh: the copy follows
    monkeypatch.setattr(gcs_storage, "RETRY", Retry(timeout=1))
    monkeypatch.setenv("STORAGE_EMULATOR_HOST", f"http://127.0.0.1:{free_port()}")
    app = create_app(web_worker(settings, repository=InMemorySocioEcoRepository([])))
    assert keyed_client(app).get("/ready").json["model_version"] == second
    (tmp_path / "copy" / second / "scorer.json").write_text("{}")  # the copy is verified again
    with pytest.raises(ModelLoadError, match="nothing verified in the local copy"):
        configured_reader(settings.model).load()
