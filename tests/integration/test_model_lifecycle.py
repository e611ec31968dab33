"""A model's life on a real PostgreSQL seeded with demo data: the gate between candidate and champion,
retraining only on changed data, publishing, the calibration `chaos calibrate` stores for serving
being the one the evaluation computed, and a tampered artifact refused at start."""

import json
from datetime import timedelta

import numpy as np
import pytest
import sqlalchemy as sa
import yaml

from chaos.application.train_model_for_appetence import PromotionRefused
from chaos.bootstrap import calibration_of, training_on, web_worker
from chaos.domain.calibration import CalibrationPolicy, calibrate, resolved_outcomes
from chaos.domain.model_store import ModelLoadError
from chaos.domain.training import TrainingWindow
from chaos.entrypoints.cli.main import main
from chaos.entrypoints.web.app_factory import create_app
from chaos.infrastructure.config import load_settings
from chaos.infrastructure.config.settings import CalibrationSettings, ModelSettings
from chaos.infrastructure.db.calibration_store import SqlCalibrationStore
from chaos.infrastructure.db.tables import marketing
from chaos.infrastructure.demo.seeding import seed_demo
from chaos.infrastructure.models.publishing import ArtifactPublisher
from chaos.infrastructure.training.training_data import load_training_data
from harness.publisher import publisher_settings
from tests.support.database import publisher_model, settings_on


@pytest.fixture
def settings(database_settings, tmp_path):
    return settings_on(database_settings, model=publisher_model(tmp_path / "models"))


@pytest.fixture
def seeded(engine):
    seed_demo(engine, rows=12_000, seed=5)
    return engine


def test_a_worse_candidate_is_refused_with_the_figures_and_the_champion_stays(seeded, settings):
    champion = training_on(settings, seeded).train(True)
    data = load_training_data(seeded)
    few = TrainingWindow(until=data.dates[data.usable][300].astype(object))  # a few hundred contacts only
    with pytest.raises(PromotionRefused) as refused:
        training_on(settings, seeded).train(True, window=few)
    store = ArtifactPublisher(settings.model.directory, settings.model.public_keys)
    assert store.champion() == champion
    comparison = refused.value.comparison
    assert not comparison.promote and comparison.champion == champion
    assert comparison.auc_difference_interval[0] <= -0.01 or "Brier" in comparison.reason
    candidate = store.metadata(refused.value.version)
    assert candidate["promotion"]["decision"] == "refused"
    assert candidate["training_window"]["until"] == str(few.until)
    assert candidate["fit"]["cutoff"] == str(few.until) and candidate["fit"]["last_date"] < str(few.until)
    assert candidate["fit"] == {**candidate["evaluation"]["trained_on"], "cutoff": str(few.until)}
    assert candidate["data"]["rows_holdout"] == store.metadata(champion)["data"]["rows_holdout"]
    forced = training_on(settings, seeded).train(True, window=few, force=True)
    assert store.champion() == forced
    assert store.metadata(forced)["promotion"]["decision"] == "forced"


@pytest.mark.parametrize("lag", [0, 7])
def test_the_stored_calibration_is_the_one_the_evaluation_computed(seeded, settings, lag):
    """One definition: what `chaos calibrate` stores for a day, from the live tables, equals what the
    evaluation computes from the training frame for that day; pending calls count in neither."""
    settings = settings.model_copy(update={"calibration": CalibrationSettings(reporting_lag_days=lag)})
    policy = settings.calibration.policy()
    version = training_on(settings, seeded).train(True)
    model = ArtifactPublisher(settings.model.directory, settings.model.public_keys).load(version)
    data = load_training_data(seeded)
    assert data.pending > 0
    known = resolved_outcomes(
        data.dates, model.pipeline.decision_function(data.features), data.target, data.resolved
    )
    days = np.unique(data.dates)[-40::7].astype(object).tolist()
    calibration_of(settings, seeded).run(days, lambda stage: None)
    stored = SqlCalibrationStore(seeded)
    for day in days:
        evaluated = calibrate(day, known, policy)
        stored_day, served = stored.newest(version, [day])[day]
        assert stored_day == day
        assert (served.window_days, served.contacts, served.observed_rate, served.until, served.stale) == (
            evaluated.window_days,
            evaluated.contacts,
            evaluated.observed_rate,
            evaluated.until,
            evaluated.stale,
        )
        for name in ("shift", "slope", "offset"):
            assert abs(getattr(served, name) - getattr(evaluated, name)) <= 1e-9, (day, name)
    assert any(calibrate(day, known, policy).window_days for day in days)
    assert any(calibrate(day, known, policy).slope != 1.0 for day in days)
    assert calibrate(days[-1], known, CalibrationPolicy()) != calibrate(days[-1], known, policy) or lag == 0


def test_retrain_only_when_the_data_changed_and_publish_the_new_champion(
    seeded, database_settings, tmp_path, monkeypatch, capsys
):
    config = tmp_path / "chaos.yml"
    database = {"embedded": False, "host": database_settings.host, "port": database_settings.port}
    model = ModelSettings(**publisher_settings(tmp_path / "m", tmp_path / "signing.pem"))  # never the demo's
    config.write_text(
        yaml.safe_dump({"database": database, "model": model.model_dump(mode="json"), "api": {"keys": []}})
    )
    monkeypatch.setenv("CHAOS_CONFIGURATION_PATH", str(config))
    assert main(["retrain"]) == 0
    store = ArtifactPublisher(tmp_path / "m", model.public_keys)
    first = store.champion()
    assert first is not None and store.history()[0]["to"] == first
    assert main(["retrain"]) == 0
    assert "nothing to do" in capsys.readouterr().out
    assert store.versions() == [first] and len(store.history()) == 1

    with seeded.begin() as connection:  # a correction of one outcome changes the fingerprint
        last = connection.scalar(
            sa.select(sa.func.max(marketing.c.id)).where(marketing.c.subscription.is_not(None))
        )
        connection.execute(
            marketing.update().where(marketing.c.id == last).values(subscription=~marketing.c.subscription)
        )
    status = main(["retrain"])
    assert status in (0, 3)  # trained again; the gate decides
    assert len(store.versions()) == 2
    assert store.champion() == (store.versions()[0] if status == 0 else first)


def test_a_scorer_changed_after_training_stops_the_start(
    seeded, database_settings, tmp_path, monkeypatch, capsys
):
    model = ModelSettings(**publisher_settings(tmp_path / "models", tmp_path / "signing.pem"))
    settings = settings_on(database_settings, model=model)  # served on an external database: not the demo key
    version = training_on(settings, seeded).train(True)
    scorer = settings.model.directory / version / "scorer.json"
    saved = json.loads(scorer.read_text())
    saved["intercept"] += 0.5  # one weight changed, still valid JSON
    scorer.write_text(json.dumps(saved))
    config = tmp_path / "serve.yml"
    database = {"embedded": False, "host": database_settings.host, "port": database_settings.port}
    config.write_text(
        yaml.safe_dump(
            {
                "database": database,
                "model": {"directory": str(model.directory), "public_keys": model.public_keys},
                "api": {"keys": []},
            }
        )
    )
    monkeypatch.setenv("CHAOS_CONFIGURATION_PATH", str(config))
    with pytest.raises(ModelLoadError, match=f"{version}/scorer.json does not match its signed manifest"):
        create_app(web_worker(load_settings()))  # what the gunicorn entry point builds
    assert main(["serve"]) == 1  # refused before gunicorn is started
    assert "scorer.json does not match its signed manifest" in capsys.readouterr().err


def test_the_window_selects_training_contacts_only(seeded, settings):
    data = load_training_data(seeded)
    since = data.dates[len(data.dates) // 3].astype(object)
    version = training_on(settings, seeded).train(False, window=TrainingWindow(since=since))
    metadata = ArtifactPublisher(settings.model.directory, settings.model.public_keys).metadata(version)
    assert metadata["training_window"] == {"since": str(since), "until": None}
    assert metadata["data"]["rows_train"] < metadata["data"]["rows"] - metadata["data"]["rows_holdout"]
    assert since - timedelta(days=1) < since
