"""`chaos models list|show|history|promote|rollback|keygen` on a local store: the gate's recorded
verdict decides a promotion, a rollback goes back, every refusal is one line."""

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
