"""`chaos monitor` on the command line: the served champion measured on the demo's resolved contacts,
one line per day, the figures recorded; a nonsensical window refused."""

import pytest
import sqlalchemy as sa

from chaos.entrypoints.cli.main import main
from chaos.infrastructure.db.tables import model_performance
from tests.support.database import configuration_on, model_on
from tests.support.served import seed


@pytest.fixture
def chaos(trained_models, database_settings, migrated_engine, tmp_path, monkeypatch, capsys):
    directory, _ = trained_models
    seed(database_settings)  # the demo again: tests in between may have emptied the tables
    with migrated_engine.begin() as connection:
        connection.execute(sa.text("TRUNCATE model_performance"))
    config = tmp_path / "config.yml"
    model = model_on(database_settings, directory).model_dump(mode="json")
    config.write_text(configuration_on(database_settings, model=model, api={"keys": []}))
    monkeypatch.setenv("CHAOS_CONFIGURATION_PATH", str(config))

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["monitor", *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_the_champion_is_measured_and_recorded_day_by_day(chaos, trained_models, migrated_engine):
    code, out, _ = chaos("--days", "120")
    assert code == 0
    lines = out.splitlines()
    assert lines and all(line.startswith(f"{trained_models[1]} ") for line in lines)
    with migrated_engine.connect() as connection:
        recorded = connection.scalar(
            sa.select(sa.func.count()).where(model_performance.c.model_version == trained_models[1])
        )
    assert recorded == len(lines)


def test_a_window_of_no_day_is_refused(chaos):
    code, _, err = chaos("--days", "0")
    assert code == 2
    assert "--days must be at least 1" in err
