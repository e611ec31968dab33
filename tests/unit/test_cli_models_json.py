"""`chaos models list --json` and `show --json` for scripts; promote and rollback record the operator
and the reason given; a rollback with no champion says so."""

import json

import pytest
import yaml

from chaos.entrypoints.cli.main import main
from tests.artifacts import save_model


@pytest.fixture
def store(tmp_path, monkeypatch):
    directory = tmp_path / "models"
    versions = [save_model(directory, champion=index == 0) for index in range(2)]
    config = tmp_path / "config.yml"
    config.write_text(yaml.safe_dump({"model": {"directory": str(directory)}}))
    monkeypatch.setenv("CHAOS_CONFIGURATION_PATH", str(config))
    monkeypatch.setenv("CHAOS_OPERATOR", "ana@bank.example")
    return directory, versions


def test_list_and_show_print_one_json_document(store, capsys):
    _, (first, second) = store
    assert main(["models", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(entry["version"], entry["champion"]) for entry in listed] == [(second, False), (first, True)]
    assert listed[1]["metadata"]["metrics"]["roc_auc"] == pytest.approx(0.71)
    assert main(["models", "show", first, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["version"] == first and shown["champion"] is True and "vocabulary" not in shown


def test_the_history_names_the_operator_and_the_reason(store, capsys):
    _, (first, second) = store
    assert main(["models", "promote", second, "--force", "--reason", "incident 7: old model drifts"]) == 0
    capsys.readouterr()
    assert main(["models", "history"]) == 0
    newest = capsys.readouterr().out.splitlines()[0]
    assert f"{first} -> {second}" in newest and "by ana@bank.example on " in newest
    assert newest.endswith("(incident 7: old model drifts)")


def test_a_rollback_without_a_champion_says_there_is_none(tmp_path, monkeypatch, capsys):
    config = tmp_path / "config.yml"
    config.write_text(yaml.safe_dump({"model": {"directory": str(tmp_path / "empty")}}))
    monkeypatch.setenv("CHAOS_CONFIGURATION_PATH", str(config))
    with pytest.raises(SystemExit):
        main(["models", "rollback"])
    err = capsys.readouterr().err
    assert "has no champion: nothing to roll back" in err and "None" not in err
