"""`chaos calibrate` as the CronJob runs it: every model of the store (the directory, or a bucket)
calibrated for today and tomorrow, a bad date range refused, an unloadable version named and the
others still stored."""

from datetime import UTC, datetime, timedelta

import pytest
import yaml

from chaos.application.job_windows import FIRST_RUN_DAYS
from chaos.bootstrap import training_on
from chaos.entrypoints.cli.main import main
from chaos.infrastructure.config.settings import ModelSettings
from chaos.infrastructure.db.calibration_store import SqlCalibrationStore
from chaos.infrastructure.demo.seeding import seed_demo
from chaos.infrastructure.models.publishing import ArtifactPublisher
from chaos.infrastructure.models.signing import public_text
from harness.gcs import BUCKET, upload
from harness.publisher import PUBLISHER, publisher_settings
from tests.support.database import settings_on


@pytest.fixture
def configured(engine, database_settings, tmp_path, monkeypatch):
    seed_demo(engine, rows=4000, seed=6)
    models = ModelSettings(**publisher_settings(tmp_path / "models", tmp_path / "signing.pem"))
    versions = [training_on(settings_on(database_settings, model=models), engine).train(False) for _ in "ab"]
    config = tmp_path / "chaos.yml"
    database = {"embedded": False, "host": database_settings.host, "port": database_settings.port}
    model = {"directory": str(models.directory), "public_keys": models.public_keys}  # never the demo's
    config.write_text(yaml.safe_dump({"database": database, "model": model, "api": {"keys": []}}))
    monkeypatch.setenv("CHAOS_CONFIGURATION_PATH", str(config))
    return versions, ArtifactPublisher(models.directory, models.public_keys)


def test_every_model_gets_every_day_since_its_newest_stored_to_tomorrow(configured, engine, capsys):
    """A first run fills the days the monitor measures; the next, today and tomorrow again."""
    versions, _ = configured
    assert main(["calibrate"]) == 0
    out = capsys.readouterr().out
    today = datetime.now(UTC).date()
    days = [today + timedelta(days=offset) for offset in range(-FIRST_RUN_DAYS, 2)]
    for version in versions:
        assert f"{version}: {len(days)} days stored" in out
        stored = SqlCalibrationStore(engine).newest(version, days)
        assert [stored[day][0] for day in days] == days
    assert main(["calibrate"]) == 0
    again = capsys.readouterr().out
    assert all(f"{version}: 2 days stored" in again for version in versions)


def test_a_backwards_range_is_refused(configured, capsys):
    assert main(["calibrate", "--since", "2026-03-02", "--until", "2026-03-01"]) == 2
    assert "give between 1 and" in capsys.readouterr().err


def test_an_unloadable_version_is_named_and_the_others_are_stored(configured, engine, capsys):
    (first, second), store = configured
    (store.storage.directory / first / "scorer.json").write_text("{}")
    assert main(["calibrate", "--since", "2026-03-01", "--until", "2026-03-03"]) == 1
    captured = capsys.readouterr()
    assert f"{first} not calibrated" in captured.err and f"{second}: 3 days stored" in captured.out
    assert SqlCalibrationStore(engine).newest(first, [datetime(2026, 3, 3).date()]) == {
        datetime(2026, 3, 3).date(): None
    }


def test_the_versions_of_a_bucket_are_calibrated(
    gcs, engine, database_settings, tmp_path, monkeypatch, capsys
):
    seed_demo(engine, rows=4000, seed=6)
    published = ModelSettings(**publisher_settings(tmp_path / "published", tmp_path / "signing.pem"))
    version = training_on(settings_on(database_settings, model=published), engine).train(True)
    upload(published.directory, "calibrated")
    config = tmp_path / "chaos.yml"
    database = {"embedded": False, "host": database_settings.host, "port": database_settings.port}
    model = {
        "store": f"gs://{BUCKET}/calibrated",
        "public_keys": [public_text(PUBLISHER)],
        "directory": str(tmp_path / "copy"),
    }
    config.write_text(yaml.safe_dump({"database": database, "model": model, "api": {"keys": []}}))
    monkeypatch.setenv("CHAOS_CONFIGURATION_PATH", str(config))
    assert main(["calibrate", "--since", "2026-03-01", "--until", "2026-03-02"]) == 0
    assert f"{version}: 2 days stored" in capsys.readouterr().out
    day = datetime(2026, 3, 2).date()
    assert SqlCalibrationStore(engine).newest(version, [day])[day] is not None
