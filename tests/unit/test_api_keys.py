"""API keys: fresh keys, their hash lines and scopes, constant-time checks, and the demo key kept to
the demo."""

import hashlib

import pytest
import yaml

from chaos.entrypoints.cli.main import main
from chaos.infrastructure.api_keys import (
    DEMO_KEY,
    DEMO_KEY_HASH,
    PLAIN_LINE_SCOPES,
    Grant,
    KeyRing,
    Scope,
    is_well_formed,
    key_hash,
    new_key,
)
from chaos.infrastructure.config import ConfigurationError, Settings, load_settings
from chaos.infrastructure.config.settings import ApiSettings
from chaos.infrastructure.models.signing import public_text
from harness.publisher import PUBLISHER


def ring_of(*hashes: str) -> KeyRing:
    return KeyRing(ApiSettings(keys=list(hashes)).grants())


def test_a_hash_line_is_the_sha256_of_the_key():
    assert key_hash("abc") == "sha256:" + hashlib.sha256(b"abc").hexdigest()


def test_new_keys_are_random_well_formed_and_known_only_by_their_hash():
    first, second = new_key(), new_key()
    assert first != second and len(first) >= 40
    assert is_well_formed(first)
    ring = ring_of(key_hash(first))
    assert ring.knows(first)
    assert not ring.knows(second)
    assert not ring.knows(first[:-1])


def test_an_empty_ring_knows_nobody():
    assert not KeyRing([]).knows(DEMO_KEY)


@pytest.mark.parametrize("key", ["", "short", "has space in it", "é" * 10, "x" * 257])
def test_malformed_keys(key):
    assert not is_well_formed(key)


def test_the_defaults_are_the_demo_and_give_the_demo_key_every_scope():
    assert [grant.hash for grant in Settings().api.grants()] == [DEMO_KEY_HASH]
    assert KeyRing(Settings().api.grants()).scopes_of(DEMO_KEY) == set(Scope)
    assert Settings().api.batch_max_rows == 10_000
    assert Settings().logging.log_customer_fields is False


def test_the_demo_key_is_refused_with_an_external_database(tmp_path):
    path = tmp_path / "config.yml"
    path.write_text("database:\n  embedded: false\n")
    with pytest.raises(ConfigurationError, match=r"config\.yml: key 'api\.keys': the demo key"):
        load_settings(path)


def test_an_external_database_with_its_own_keys_loads(tmp_path):
    path = tmp_path / "config.yml"
    own = public_text(PUBLISHER)  # the demo signing key is refused there too
    path.write_text(
        f'database:\n  embedded: false\napi:\n  keys: ["{key_hash("k" * 20)}"]\n'
        f'model:\n  public_keys: ["{own}"]\n'
    )
    assert KeyRing(load_settings(path).api.grants()).scopes_of("k" * 20) == PLAIN_LINE_SCOPES


@pytest.mark.parametrize("line", ["fae2b12f", "sha256:XYZ", "md5:" + "0" * 32, key_hash("k").upper()])
def test_a_key_line_that_is_not_a_sha256_hash_names_the_key(tmp_path, line):
    path = tmp_path / "config.yml"
    path.write_text(f'api:\n  keys: ["{line}"]\n')
    with pytest.raises(ConfigurationError, match=r"key 'api\.keys\.0\.hash': String should match pattern"):
        load_settings(path)


def test_a_plain_hash_line_may_score_and_read_models_but_not_report_outcomes():
    assert {Scope.SCORE, Scope.READ_MODELS} == PLAIN_LINE_SCOPES
    assert ring_of(key_hash("k" * 20)).scopes_of("k" * 20) == PLAIN_LINE_SCOPES


def test_a_scoped_entry_grants_exactly_its_scopes_and_unknown_keys_get_none():
    ring = KeyRing([Grant(key_hash("reporter"), frozenset({Scope.REPORT_OUTCOMES}))])
    assert ring.scopes_of("reporter") == {Scope.REPORT_OUTCOMES}
    assert ring.scopes_of("scorer") is None


def test_a_hash_listed_twice_gets_the_scopes_of_both_entries():
    ring = KeyRing(
        [
            Grant(key_hash("both"), frozenset({Scope.SCORE})),
            Grant(key_hash("both"), frozenset({Scope.READ_MODELS})),
        ]
    )
    assert ring.scopes_of("both") == {Scope.SCORE, Scope.READ_MODELS}


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('{hash: "%s", scopes: [delete_everything]}', r"api\.keys\.0\.scopes\.0"),
        ('{hash: "%s", scopes: []}', r"api\.keys\.0\.scopes"),
        ('{hash: "%s"}', r"api\.keys\.0\.scopes"),
    ],
    ids=["unknown scope", "no scope", "scopes missing"],
)
def test_a_scoped_entry_must_name_known_scopes(tmp_path, entry, message):
    path = tmp_path / "config.yml"
    path.write_text("api:\n  keys:\n    - " + entry % key_hash("k" * 20) + "\n")
    with pytest.raises(ConfigurationError, match=message):
        load_settings(path)


def printed_key_and_entry(printed: str) -> tuple[str, object]:
    key = next(line.split()[-1] for line in printed.splitlines() if line.startswith("key:"))
    (entry,) = yaml.safe_load("\n".join(line for line in printed.splitlines() if line.startswith("  - ")))
    return key, entry


def test_chaos_keys_new_prints_a_key_and_its_config_line(capsys):
    assert main(["keys", "new"]) == 0
    key, entry = printed_key_and_entry(capsys.readouterr().out)
    assert is_well_formed(key)
    assert KeyRing(ApiSettings(keys=[entry]).grants()).scopes_of(key) == PLAIN_LINE_SCOPES


def test_chaos_keys_new_with_scopes_prints_the_line_that_grants_them(tmp_path, capsys):
    assert main(["keys", "new", "--scope", "report_outcomes", "--scope", "read_models"]) == 0
    key, entry = printed_key_and_entry(capsys.readouterr().out)
    path = tmp_path / "config.yml"
    path.write_text(yaml.safe_dump({"api": {"keys": [entry]}}))
    ring = KeyRing(load_settings(path).api.grants())
    assert ring.scopes_of(key) == {Scope.REPORT_OUTCOMES, Scope.READ_MODELS}


def test_chaos_keys_new_refuses_an_unknown_scope(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["keys", "new", "--scope", "everything"])
    assert exit_.value.code == 2
    assert "report_outcomes" in capsys.readouterr().err
