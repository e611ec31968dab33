"""A command that needs the database starts a stopped embedded PostgreSQL, says so in one line and
stops it again when it is done; one that finds it running leaves it running; `chaos db start` keeps it."""

import pytest
import yaml

from chaos.entrypoints.cli.main import main
from chaos.infrastructure.config.settings import DatabaseSettings
from chaos.infrastructure.db.embedded import EmbeddedPostgres
from harness.network import free_port


@pytest.fixture
def embedded(tmp_path, monkeypatch) -> EmbeddedPostgres:
    """A configuration naming an embedded server of its own, stopped."""
    database = DatabaseSettings(data_dir=tmp_path / "pgdata", port=free_port())
    config = tmp_path / "chaos.yml"
    config.write_text(
        yaml.safe_dump({"database": {"data_dir": str(database.data_dir), "port": database.port}})
    )
    monkeypatch.setenv("CHAOS_CONFIGURATION_PATH", str(config))
    server = EmbeddedPostgres(database)
    yield server
    server.stop()


def test_a_command_stops_the_server_it_started_and_leaves_a_running_one(embedded, capsys):
    assert main(["db", "upgrade"]) == 0
    err = capsys.readouterr().err
    assert (
        err.count("\n") == 1
        and f"chaos: started the embedded PostgreSQL on port {embedded.settings.port}" in err
    )
    assert "stopped when this command ends" in err
    assert not embedded.status().running
    assert main(["db", "start"]) == 0
    capsys.readouterr()
    assert main(["db", "history"]) == 0
    assert capsys.readouterr().err == ""  # already running: nothing started, nothing said
    assert embedded.status().running
