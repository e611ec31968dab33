"""API keys: fresh keys, their hash lines, constant-time checks, and the demo key kept to the demo."""

import hashlib

import pytest

from chaos.entrypoints.cli.main import main
from chaos.infrastructure.api_keys import DEMO_KEY, DEMO_KEY_HASH, KeyRing, is_well_formed, key_hash, new_key
from chaos.infrastructure.config import ConfigurationError, Settings, load_settings


def test_a_hash_line_is_the_sha256_of_the_key():
    assert key_hash("abc") == "sha256:" + hashlib.sha256(b"abc").hexdigest()


def test_new_keys_are_random_well_formed_and_known_only_by_their_hash():
    first, second = new_key(), new_key()
    assert first != second and len(first) >= 40
    assert is_well_formed(first)
    ring = KeyRing([key_hash(first)])
    assert ring.knows(first)
    assert not ring.knows(second)
    assert not ring.knows(first[:-1])


def test_an_empty_ring_knows_nobody():
    assert not KeyRing([]).knows(DEMO_KEY)


@pytest.mark.parametrize("key", ["", "short", "has space in it", "é" * 10, "x" * 257])
def test_malformed_keys(key):
    assert not is_well_formed(key)


def test_the_defaults_are_the_demo_and_accept_the_demo_key():
    assert Settings().api.keys == [DEMO_KEY_HASH]
    assert KeyRing(Settings().api.keys).knows(DEMO_KEY)
    assert Settings().api.batch_max_rows == 10_000
    assert Settings().logging.log_customer_fields is False


def test_the_demo_key_is_refused_with_an_external_database(tmp_path):
    path = tmp_path / "config.yml"
    path.write_text("database:\n  embedded: false\n")
    with pytest.raises(ConfigurationError, match=r"config\.yml: key 'api\.keys': the demo key"):
        load_settings(path)


def test_an_external_database_with_its_own_keys_loads(tmp_path):
    path = tmp_path / "config.yml"
    path.write_text(f'database:\n  embedded: false\napi:\n  keys: ["{key_hash("k" * 20)}"]\n')
    assert KeyRing(load_settings(path).api.keys).knows("k" * 20)


@pytest.mark.parametrize("line", ["fae2b12f", "sha256:XYZ", "md5:" + "0" * 32, key_hash("k").upper()])
def test_a_key_line_that_is_not_a_sha256_hash_names_the_key(tmp_path, line):
    path = tmp_path / "config.yml"
    path.write_text(f'api:\n  keys: ["{line}"]\n')
    with pytest.raises(ConfigurationError, match=r"key 'api\.keys\.0'"):
        load_settings(path)


def test_chaos_keys_new_prints_a_key_and_its_config_line(capsys):
    assert main(["keys", "new"]) == 0
    printed = capsys.readouterr().out
    key = next(line.split()[-1] for line in printed.splitlines() if line.startswith("key:"))
    assert f'- "{key_hash(key)}"' in printed
    assert is_well_formed(key)
