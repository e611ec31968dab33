"""Signed manifests against someone with write access to the model store but not the signing key:
every change an attacker can make is refused with one line, none is served."""

import os
import re

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from chaos.domain.model_store import ModelLoadError
from chaos.infrastructure.config.settings import DEMO_PUBLIC_KEY
from chaos.infrastructure.models.publishing import ArtifactPublisher
from chaos.infrastructure.models.signing import SignatureError, Verifier, demo_private_key, public_text
from harness.publisher import PUBLISHER
from tests.artifacts import multiply_a_weight, resign, save_model

ATTACKER = Ed25519PrivateKey.generate()


def store(directory, *keys: Ed25519PrivateKey, signer: Ed25519PrivateKey = PUBLISHER) -> ArtifactPublisher:
    return ArtifactPublisher(directory, [public_text(key) for key in keys or (PUBLISHER,)], signer)


@pytest.fixture
def published(tmp_path):
    """Two versions published with the publisher's key to a store that trusts only that key."""
    first = save_model(tmp_path, champion=True, store=store(tmp_path))
    second = save_model(tmp_path, champion=False, store=store(tmp_path))
    return tmp_path, first, second


def refused(store: ArtifactPublisher, version: str | None, pattern: str) -> None:
    with pytest.raises(ModelLoadError, match=pattern) as raised:
        store.load(version)
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize("key", [None, ATTACKER])
def test_a_weight_changed_with_its_hash_recomputed_is_refused(published, key):
    """Recomputing the sha256 is not enough: the manifest must be signed again, which needs the key."""
    directory, first, _ = published
    multiply_a_weight(directory / first / "scorer.json", 20)
    resign(directory, first, "scorer.json", key=key)
    refused(store(directory), None, f"model {first}: .*manifest.json refused: .*not by a trusted key")


def test_swapped_version_folders_are_refused(published):
    directory, first, second = published
    os.rename(directory / first, directory / "swap")
    os.rename(directory / second, directory / first)
    os.rename(directory / "swap", directory / second)
    refused(store(directory), first, f"is signed for version '{second}' \\(moved or swapped\\), refused")
    refused(store(directory), second, f"is signed for version '{first}' \\(moved or swapped\\), refused")


def test_a_symlinked_folder_under_a_made_up_version_is_refused(published):
    directory, first, _ = published
    (directory / "20300101T000000Z").symlink_to(directory / first, target_is_directory=True)
    refused(store(directory), "20300101T000000Z", "20300101T000000Z is a symbolic link: refused")
    assert "20300101T000000Z" in store(directory).versions()
    link = directory / "20300101T000000Z"
    assert store(directory).problems() == [f"{link} is a symbolic link: refused in a model store"]
    assert store(directory).load().version == first


def test_a_symlinked_file_is_refused(published, tmp_path_factory):
    directory, first, _ = published
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "scorer.json"
    (directory / first / "scorer.json").rename(elsewhere)
    (directory / first / "scorer.json").symlink_to(elsewhere)
    refused(store(directory), first, re.escape(f"{directory / first / 'scorer.json'} is a symbolic link"))


def test_a_file_not_in_the_manifest_is_refused(published):
    directory, first, _ = published
    (directory / first / "sitecustomize.py").write_text("import os\n")
    refused(store(directory), first, "sitecustomize.py is not in its manifest, refused")


def test_a_version_signed_by_another_key_is_refused(tmp_path):
    version = save_model(tmp_path, champion=False, store=store(tmp_path, signer=ATTACKER))
    refused(store(tmp_path), version, "not by a trusted key")


def test_during_a_rotation_both_keys_are_trusted(tmp_path):
    new = Ed25519PrivateKey.generate()
    old_version = save_model(tmp_path, champion=True, store=store(tmp_path))
    new_version = save_model(tmp_path, champion=False, store=store(tmp_path, signer=new))
    rotating = store(tmp_path, PUBLISHER, new)
    assert {rotating.load(old_version).version, rotating.load(new_version).version} == {
        old_version,
        new_version,
    }
    refused(store(tmp_path, new), old_version, "not by a trusted key")


def test_a_store_without_the_signing_key_cannot_publish(tmp_path):
    with pytest.raises(ModelLoadError, match="no signing key"):
        save_model(tmp_path, champion=True, store=ArtifactPublisher(tmp_path, [public_text(PUBLISHER)]))


def test_keys_that_are_not_ed25519_public_keys_are_refused():
    with pytest.raises(SignatureError, match="not an Ed25519 public key"):
        Verifier(["bm90IGEga2V5"])
    with pytest.raises(SignatureError, match="no public key"):
        Verifier([])
    assert Verifier([DEMO_PUBLIC_KEY]).keys


def test_the_trusted_demo_key_is_the_public_half_of_the_published_phrase():
    assert public_text(demo_private_key()) == DEMO_PUBLIC_KEY


def test_the_demo_signing_key_is_refused_with_an_external_database_to_serve_and_to_publish(
    tmp_path, monkeypatch, capsys
):
    """Wherever the demo API key is refused (an external database), so is the demo signing key,
    even with a local model directory: at a server's start and before `chaos train` publishes."""
    from chaos.entrypoints import wsgi
    from chaos.entrypoints.cli.main import main
    from chaos.infrastructure.api_keys import key_hash
    from chaos.infrastructure.config.loader import ConfigurationError, load_settings

    config = tmp_path / "config.yml"
    config.write_text(
        f'database:\n  embedded: false\napi:\n  keys: ["{key_hash("k" * 20)}"]\n'
        f"model:\n  directory: {tmp_path / 'models'}\n"
    )
    monkeypatch.setenv("CHAOS_CONFIGURATION_PATH", str(config))
    refusal = "key 'model.public_keys': the demo signing key is published and only valid with the embedded"
    with pytest.raises(ConfigurationError, match=re.escape(refusal)) as raised:
        load_settings(config)
    assert "chaos models keygen FILE" in str(raised.value)
    with pytest.raises(wsgi.StartupError, match=re.escape(refusal)):
        wsgi.build_app.__wrapped__()
    assert main(["train", "--champion"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and refusal in err and "chaos models keygen FILE" in err
    assert not (tmp_path / "models").exists()
