"""`chaos serve`'s preparation on the real PostgreSQL: first run seeds and trains, second run reuses."""

import re
from datetime import date

import pytest
import sqlalchemy as sa

from chaos.application.job_windows import MEASURED_DAYS
from chaos.application.preparation import PreparationError
from chaos.bootstrap import preparation_on
from chaos.domain.model_store import ModelLoadError
from chaos.infrastructure.config.settings import ModelSettings
from chaos.infrastructure.db.calibration_store import SqlCalibrationStore
from chaos.infrastructure.db.tables import marketing, model_performance, socio_eco
from chaos.infrastructure.models.publishing import ArtifactPublisher
from tests.support.database import embedded_only, publisher_model, settings_on


def row_counts(engine) -> tuple[int, int]:
    with engine.connect() as connection:
        return tuple(
            connection.scalar(sa.select(sa.func.count()).select_from(t)) for t in (marketing, socio_eco)
        )


def prepare(settings, engine) -> str:
    """What `chaos serve` prepares, with fewer demo contacts, saying what it does on stdout."""
    return preparation_on(settings, engine, lambda line: print(line, flush=True)).prepare(3000)


def test_first_run_seeds_and_trains_second_run_reuses(engine, database_settings, tmp_path, capsys):
    embedded_only(database_settings)
    settings = settings_on(database_settings, model=ModelSettings(directory=tmp_path / "models"))
    store = ArtifactPublisher(tmp_path / "models")
    version = prepare(settings, engine)
    assert store.champion() == version
    assert row_counts(engine) > (0, 0)
    first = capsys.readouterr().out
    assert "seeding demo data" in first
    said = re.search(rf"chaos: measured the served model on (\d+) of the last {MEASURED_DAYS} days\n", first)
    with engine.connect() as connection:  # what /monitoring reads, filled by the real monitor
        measured = connection.scalar(sa.select(sa.func.count()).select_from(model_performance))
    assert said and measured == int(said.group(1)) > 0, first

    with engine.begin() as connection:
        connection.execute(sa.delete(marketing).where(marketing.c.id < 10))
    counts = row_counts(engine)
    assert prepare(settings, engine) == version
    assert store.versions() == [version]
    assert row_counts(engine) == counts  # not re-seeded: a database with data is left alone
    assert capsys.readouterr().out == (
        "chaos: stored the calibrations of today and tomorrow (1 models)\n"
        f"chaos: measured the served model on {measured} of the last {MEASURED_DAYS} days\n"
    )
    assert SqlCalibrationStore(engine).newest(version, [date.today()])[date.today()] is not None


def test_a_pinned_version_is_never_trained_and_a_missing_one_is_refused(engine, database_settings, tmp_path):
    pinned = publisher_model(tmp_path / "models", version="20200101T000000Z")
    settings = settings_on(database_settings, model=pinned)
    store = ArtifactPublisher(tmp_path / "models")
    with pytest.raises(ModelLoadError, match="no model version '20200101T000000Z'"):  # measured: refused
        prepare(settings, engine)
    assert store.versions() == [] and store.champion() is None


def test_an_external_database_is_never_seeded(engine, database_settings, tmp_path):
    settings = settings_on(database_settings, model=publisher_model(tmp_path / "models"))
    external = database_settings.model_copy(update={"embedded": False})
    settings = settings.model_copy(update={"database": external})  # no other section matters here
    # Training reads the tables after the seeding step: an empty marketing table there proves nothing
    # was seeded (any other failure is not the one under test).
    with pytest.raises(PreparationError, match="the marketing table is empty"):
        prepare(settings, engine)
    assert row_counts(engine) == (0, 0)
    assert ArtifactPublisher(tmp_path / "models").versions() == []
