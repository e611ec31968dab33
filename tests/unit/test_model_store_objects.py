"""One bad object never breaks a local model store: a link, a binary or a half-written object is
refused on its own and named, in `/models` (200) and `chaos models list` (exit 0), and a worker
started afterwards still serves the champion."""

import pytest
import yaml

from chaos.entrypoints.cli.main import main
from chaos.infrastructure.models.champion_pointer import entry_key
from chaos.infrastructure.models.publishing import ArtifactPublisher
from tests.artifacts import save_model
from tests.support.pointer_edits import worker


@pytest.fixture
def store(tmp_path, monkeypatch):
    directory = tmp_path / "models"
    champion = save_model(directory, champion=True)
    other = save_model(directory, champion=False)
    config = tmp_path / "config.yml"
    config.write_text(yaml.safe_dump({"model": {"directory": str(directory)}}))
    monkeypatch.setenv("CHAOS_CONFIGURATION_PATH", str(config))
    return directory, champion, other


def damaged(directory, champion, other, damage: str):
    """Damage the store; return the object to be named and the version that must be refused."""
    outside = directory.parent / "outside.json"
    outside.write_text("{}")
    if damage == "linked history entry":
        (directory / "history" / "x.json").symlink_to(outside)
        return directory / "history" / "x.json", None
    if damage == "linked file of a version":
        (directory / other / "report.html").unlink()
        (directory / other / "report.html").symlink_to(outside)
        return directory / other / "report.html", other
    if damage == "binary history entry":
        (directory / entry_key(9)).write_bytes(b"\xff\xd8\xff\xe0binary")
        return directory / entry_key(9), None
    (directory / other / "metadata.json").write_bytes(b"\xff\xfe\x00binary")  # a binary file in a version
    return directory / other / "metadata.json", other


@pytest.mark.parametrize(
    "damage",
    ["linked history entry", "linked file of a version", "binary history entry", "binary file of a version"],
)
def test_a_bad_object_is_named_and_refused_alone(store, capsys, damage):
    directory, champion, other = store
    settings = {"model": {"directory": str(directory)}}
    running = worker(settings)
    named, refused = damaged(directory, champion, other, damage)
    for client in (running, worker(settings)):  # a worker running and one started afterwards
        listing = client.get("/models")
        assert listing.status_code == 200
        assert client.get("/ready").json["model_version"] == champion
        said = [*listing.json["problems"], *[model.get("problem", "") for model in listing.json["models"]]]
        assert any(str(named) in line for line in said), said
        assert {model["version"] for model in listing.json["models"] if "problem" in model} == (
            {refused} if refused else set()
        )
    capsys.readouterr()
    assert main(["models", "list"]) == 0
    out = capsys.readouterr().out
    assert str(named) in out and "REFUSED" in out
    assert main(["models", "history"]) == 0
    assert ArtifactPublisher(directory).load().version == champion


def test_a_half_written_version_left_by_a_killed_publish_is_listed_as_refused(store, capsys):
    directory, _, _ = store
    (directory / "20300101T000000Z").mkdir()
    (directory / "20300101T000000Z" / "model.joblib").write_bytes(b"half")
    capsys.readouterr()
    assert main(["models", "list"]) == 0
    assert "20300101T000000Z  REFUSED: model 20300101T000000Z: " in capsys.readouterr().out
