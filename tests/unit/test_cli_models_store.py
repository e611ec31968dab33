"""`chaos models list|show|history|promote|rollback|keygen` on a local store: the gate's recorded
verdict decides a promotion, a rollback goes back, every refusal is one line; list and show print JSON
for scripts, and the history names the operator and the reason given."""

import json

import pytest
import yaml

from chaos.entrypoints.cli.main import main
from tests.artifacts import save_model


@pytest.fixture
def store(tmp_path, monkeypatch):
    """Three versions, the first the champion, under a configuration naming their directory."""
    directory = tmp_path / "models"
    versions = [save_model(directory, champion=index == 0) for index in range(3)]
    config = tmp_path / "config.yml"
    config.write_text(yaml.safe_dump({"model": {"directory": str(directory)}}))
    monkeypatch.setenv("CHAOS_CONFIGURATION_PATH", str(config))
    return directory, versions


def judged(directory, version: str, champion: str, promote: bool) -> None:
    """Give `version` the gate's verdict against `champion`, as `chaos train --champion` records it."""
    from tests.artifacts import resign

    path = directory / version / "metadata.json"
    metadata = json.loads(path.read_text())
    metadata["promotion"] = {
        "decision": "promoted" if promote else "refused",
        "comparison": {"champion": champion, "promote": promote, "reason": "AUC interval below -0.01"},
    }
    path.write_text(json.dumps(metadata))
    resign(directory, version, "metadata.json")


def run(capsys, *arguments: str) -> tuple[int, str, str]:
    try:
        status = main(["models", *arguments])
    except SystemExit as exit:
        status = int(exit.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


def test_list_marks_the_champion_and_show_prints_verified_metadata(store, capsys):
    _, (first, second, third) = store
    status, out, _ = run(capsys, "list")
    assert status == 0
    lines = out.splitlines()
    assert [line[2:].split()[0] for line in lines] == [third, second, first]
    assert lines[2].startswith("* ") and not lines[0].startswith("* ")
    status, out, _ = run(capsys, "show", first)
    assert status == 0 and f"model {first} (champion)" in out and "signature and files verified" in out


def test_promote_follows_the_recorded_gate_and_rollback_goes_back(store, capsys):
    directory, (first, second, third) = store
    judged(directory, second, first, promote=True)
    judged(directory, third, first, promote=False)
    status, _, err = run(capsys, "promote", third)
    assert status == 1 and err.count("\n") == 1 and f"{third} failed the gate against {first}" in err
    assert run(capsys, "promote", second)[:2] == (0, f"champion: {first} -> {second} (promoted)\n")
    status, _, err = run(capsys, "promote", third)
    assert status == 1 and f"{third} was not judged against the champion {second}" in err
    assert run(capsys, "promote", third, "--force")[:2] == (0, f"champion: {second} -> {third} (forced)\n")
    assert run(capsys, "rollback")[:2] == (0, f"champion: {third} -> {second} (rollback)\n")
    assert run(capsys, "rollback", "--to", first)[:2] == (0, f"champion: {second} -> {first} (rollback)\n")
    status, out, _ = run(capsys, "history")
    moves = [line.split()[1:4] for line in out.splitlines()]
    assert moves == [
        [second, "->", first],
        [third, "->", second],
        [second, "->", third],
        [first, "->", second],
        ["(none)", "->", first],
    ]
    assert "forced" in out.splitlines()[2] and "chaos models promote" in out.splitlines()[2]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["show", "20000101T000000Z"], "no model version '20000101T000000Z'"),
        (["promote", "20000101T000000Z", "--force"], "no model version '20000101T000000Z'"),
        (["rollback"], "no earlier champion recorded"),
        (["rollback", "--to", "nope"], "no model version 'nope'"),
    ],
)
def test_bad_requests_are_one_line_errors(store, capsys, arguments, message):
    status, _, err = run(capsys, *arguments)
    assert status == 1 and err.count("\n") == 1 and message in err


def test_a_tampered_version_is_listed_as_refused_and_cannot_be_promoted(store, capsys):
    directory, (_, second, _) = store
    (directory / second / "scorer.json").write_text("{}")
    status, out, _ = run(capsys, "list")
    assert status == 0 and f"{second}  REFUSED: model {second}: " in out and "does not match" in out
    status, _, err = run(capsys, "promote", second, "--force")
    assert status == 1 and "does not match its signed manifest" in err


def test_keygen_writes_a_private_key_once_and_prints_its_public_key(tmp_path, capsys, store):
    key = tmp_path / "signing.pem"
    status, out, _ = run(capsys, "keygen", str(key))
    assert status == 0 and key.stat().st_mode & 0o777 == 0o600
    assert key.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")  # pragma: allowlist secret
    assert out.splitlines()[-1].startswith('  - "') and len(out.splitlines()[-1]) == len('  - ""') + 44
    status, _, err = run(capsys, "keygen", str(key))
    assert status == 1 and "cannot create" in err


def test_list_and_show_print_one_json_document(store, capsys):
    _, (first, second, third) = store
    assert main(["models", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["champion"] == first and listed["champion_problem"] is None and listed["problems"] == []
    champions = [(entry["version"], entry["champion"]) for entry in listed["versions"]]
    assert champions == [(third, False), (second, False), (first, True)]
    assert listed["versions"][2]["metadata"]["metrics"]["roc_auc"] == pytest.approx(0.71)
    assert main(["models", "show", first, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["version"] == first and shown["champion"] is True and "vocabulary" not in shown


def test_the_history_names_the_operator_and_the_reason(store, capsys, monkeypatch):
    _, (first, second, _) = store
    monkeypatch.setenv("CHAOS_OPERATOR", "ana@bank.example")
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
