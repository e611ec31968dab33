"""`chaos keys list` names each configured key by the id its requests are recorded under, with its
scopes, and never prints a key or its hash."""

import json

import pytest
import yaml

from chaos.entrypoints.cli.main import main
from chaos.infrastructure.api_keys import KeyRing, key_hash, new_key
from chaos.infrastructure.config import load_settings

PLAIN, NAMED = new_key(), new_key()


@pytest.fixture
def configured(tmp_path, monkeypatch):
    path = tmp_path / "config.yml"
    entries = [
        key_hash(PLAIN),
        {"hash": key_hash(NAMED), "scopes": ["report_outcomes", "score"], "id": "crm-outcomes"},
    ]
    path.write_text(yaml.safe_dump({"api": {"keys": entries}}))
    monkeypatch.setenv("CHAOS_CONFIGURATION_PATH", str(path))
    return path


def test_each_key_is_listed_by_its_id_with_its_scopes_and_never_by_its_hash(configured, capsys):
    assert main(["keys", "list"]) == 0
    out = capsys.readouterr().out
    plain_id = key_hash(PLAIN).removeprefix("sha256:")[:12]
    assert out.splitlines() == [f"{plain_id:<12}  score, read_models", "crm-outcomes  score, report_outcomes"]
    for secret in (PLAIN, NAMED, key_hash(PLAIN), key_hash(NAMED)):
        assert secret.removeprefix("sha256:") not in out


def test_the_json_list_names_the_ids_the_server_records_requests_under(configured, capsys):
    assert main(["keys", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    ring = KeyRing(load_settings(configured).api.grants())
    callers = [ring.caller(key) for key in (PLAIN, NAMED)]
    assert [(key["id"], set(key["scopes"])) for key in listed] == [
        (caller.key_id, set(caller.scopes)) for caller in callers if caller is not None
    ]
    assert listed[1] == {"id": "crm-outcomes", "scopes": ["score", "report_outcomes"]}


def test_an_empty_list_says_nobody_is_let_in(tmp_path, monkeypatch, capsys):
    path = tmp_path / "config.yml"
    path.write_text("api: {keys: []}\n")
    monkeypatch.setenv("CHAOS_CONFIGURATION_PATH", str(path))
    assert main(["keys", "list"]) == 0
    assert capsys.readouterr().out == "no keys: api.keys is empty, nobody is let in\n"
