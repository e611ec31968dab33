"""`chaos train` on a real PostgreSQL seeded with demo data: metrics, artifact, champion, CLI."""

import math
from pathlib import Path

import numpy as np
import pytest
import yaml

from chaos.bootstrap import training_on
from chaos.domain.features import EXCLUDED, MODEL_FEATURES
from chaos.domain.socio_eco import INDICATORS
from chaos.domain.training import TrainingError
from chaos.entrypoints.cli.main import main
from chaos.infrastructure.config.settings import ModelSettings, SocioEcoSettings
from chaos.infrastructure.db.socio_eco_repository import SqlSocioEcoRepository
from chaos.infrastructure.demo.seeding import seed_demo
from chaos.infrastructure.models.publishing import ArtifactPublisher
from chaos.infrastructure.training.backtest import walk_forward
from chaos.infrastructure.training.training_data import load_training_data
from harness.publisher import publisher_settings
from tests.support.database import publisher_model, settings_on
from tests.support.figures import check_uncertainty
from tests.support.full_disk import fill


@pytest.fixture
def settings(database_settings, tmp_path):
    return settings_on(database_settings, model=publisher_model(tmp_path / "models"))


def test_training_on_demo_data_learns_and_saves_a_complete_artifact(engine, settings):
    seed_demo(engine, rows=20_000, seed=11)
    stages = []
    version = training_on(settings, engine, stages.append).train(True, stages.append)
    store = ArtifactPublisher(settings.model.directory, settings.model.public_keys)
    metadata = store.metadata(version)
    assert store.champion() == version
    assert metadata["metrics"]["roc_auc"] >= 0.65
    assert {"roc_auc", "within_month_auc", "pr_auc", "brier", "brier_skill", "log_loss"} <= set(
        metadata["metrics"]
    )
    assert len(metadata["by_month"]) > 1 and len(metadata["by_decile"]) == 10
    assert metadata["promotion"]["decision"] == "first champion"
    published = {"model.joblib", "scorer.json", "report.html", "metadata.json", "manifest.json"}
    assert set(store.storage.keys(f"{version}/")) == {f"{version}/{name}" for name in published}
    assert metadata["data"]["fingerprint"].startswith("sha256:")
    assert metadata["excluded"] == EXCLUDED
    assert not any("duration_contact" in group for group in metadata["features"].values())
    data = metadata["data"]
    loaded = load_training_data(engine)  # pending calls are neither trained on nor judged
    assert (data["rows"], data["rows_pending"]) == (20_000, loaded.pending) and loaded.pending > 0
    assert data["rows_holdout"] == int(loaded.labelled[16_000:].sum())
    assert 0 < data["rows_without_socio_eco"] < 4_000  # contacts of the first month precede every row
    assert data["rows_train"] == int(loaded.labelled[:16_000].sum())
    assert metadata["as_of"]["publication_lag_days"] == 0
    assert data["first_date"] <= data["holdout_first_date"] <= data["last_date"]
    evaluated, fit = metadata["evaluation"], metadata["fit"]
    # the split is by contacts: a day may straddle it
    assert (
        evaluated["trained_on"]["last_date"]
        <= evaluated["holdout"]["first_date"]
        == data["holdout_first_date"]
    )
    assert evaluated["trained_on"]["rows"] == data["rows_train"]
    assert (fit["last_date"], fit["rows"], fit["cutoff"]) == (
        str(loaded.dates[loaded.labelled][-1]),  # refit on every known outcome, the newest included
        int(loaded.labelled.sum()),
        None,
    )
    assert set(metadata["vocabulary"]["status"]) == {"Marié", "Célibataire", "Divorcé"}
    assert len(stages) == 6  # read, fit, evaluate, lag sensitivity, refit, save
    lags = [row["reporting_lag_days"] for row in metadata["sensitivity"]["reporting_lag_days"]]
    assert lags == [0, 3, 7, 14, 30]
    assert metadata["protocol"]["calibration"]["reporting_lag_days"] == 0
    coverage = metadata["coverage"]
    assert coverage["judged"] == data["rows_holdout"] and coverage["refused_as_stale"] >= 0
    check_uncertainty(metadata)
    intervals, steady = metadata["intervals"], metadata["steady"]
    assert intervals["months"] == len(metadata["by_month"]) and intervals["level"] == 0.95
    for name in ("roc_auc", "brier"):
        low, high = intervals[name]
        assert low <= metadata["metrics"][name] <= high
    by_month = {month["group"]: month["contacts"] for month in metadata["by_month"]}
    assert sorted(steady["months"] + [m["month"] for m in steady["dominant"]]) == sorted(by_month)
    assert steady["contacts"] == sum(by_month[month] for month in steady["months"])
    log_odds = store.load().log_odds_one({name: None for name in MODEL_FEATURES} | {"job_type": "Etudiant"})
    assert math.isfinite(log_odds)


@pytest.mark.parametrize("lag", [0, 20])
def test_training_indicators_are_those_the_serving_lookup_returns(engine, lag):
    seed_demo(engine, rows=3000, seed=2)
    data = load_training_data(engine, lag)
    days = data.dates.astype(object).tolist()
    served = SqlSocioEcoRepository(engine).as_of_many(days, lag)
    assert [served[day] is not None for day in days] == data.usable.tolist()
    assert data.left_out > 0
    usable = data.rows(data.usable)
    for position, day in enumerate(usable.dates.astype(object).tolist()):
        expected = served[day].as_features()
        trained = usable.features.loc[position, list(INDICATORS)]
        assert np.allclose(trained.to_numpy(dtype=float), [expected[name] for name in INDICATORS]), day


def test_the_publication_lag_is_recorded_in_the_model_and_served_from_it(engine, settings):
    seed_demo(engine, rows=3000, seed=3)
    lagged = settings.model_copy(update={"socio_eco": SocioEcoSettings(publication_lag_days=12)})
    version = training_on(lagged, engine).train(False)
    store = ArtifactPublisher(settings.model.directory, settings.model.public_keys)
    assert store.metadata(version)["as_of"]["publication_lag_days"] == 12
    assert store.load(version).publication_lag_days == 12


def test_an_empty_database_is_a_clear_error(engine, settings):
    with pytest.raises(TrainingError, match="marketing table is empty"):
        training_on(settings, engine).train(False)


def configured(database_settings, models: Path, tmp_path: Path, monkeypatch) -> ArtifactPublisher:
    """A configuration on the test database as an external one, publishing to `models` with its own
    key (the demo's is refused there); the store as it reads it."""
    config = tmp_path / "chaos.yml"
    database = {**database_settings.model_dump(mode="json"), "embedded": False}
    model = ModelSettings(**publisher_settings(models, tmp_path / "signing.pem"))
    config.write_text(
        yaml.safe_dump({"database": database, "model": model.model_dump(mode="json"), "api": {"keys": []}})
    )
    monkeypatch.setenv("CHAOS_CONFIGURATION_PATH", str(config))
    return ArtifactPublisher(models, model.public_keys)


def test_command_line_seed_then_train_champion(engine, database_settings, tmp_path, monkeypatch, capsys):
    store = configured(database_settings, tmp_path / "m", tmp_path, monkeypatch)
    assert main(["db", "seed-demo", "--rows", "4000"]) == 0
    assert main(["train", "--champion"]) == 0
    out = capsys.readouterr()
    assert "demo data: 4000 contacts" in out.out
    assert "holdout as served: roc_auc" in out.out and "marked champion" in out.out
    assert "95% intervals by resampling its" in out.out and "  steady months (" in out.out
    assert "left out " in out.out and "without point-in-time indicators" in out.out
    assert "fitting logistic" in out.err
    assert store.champion() is not None


def test_train_on_a_full_disk_says_so_in_one_line_and_leaves_no_half_version(
    engine, database_settings, tmp_path, monkeypatch, capsys, small_disk
):
    seed_demo(engine, rows=4000, seed=3)
    store = configured(database_settings, small_disk / "m", tmp_path, monkeypatch)
    fill(small_disk, leave=0)
    capsys.readouterr()
    assert main(["train", "--champion"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[-1].startswith("chaos train: model store ") and err[-1].endswith("No space left on device")
    assert "Traceback" not in "\n".join(err)
    assert store.versions() == []


def test_the_backtest_fits_and_judges_resolved_contacts_only(engine):
    seed_demo(engine, rows=6000, seed=4)
    data = load_training_data(engine)
    assert data.pending > 0
    result = walk_forward(data)
    months = data.dates.astype("datetime64[M]")
    for month in result["months"]:
        inside = months == np.datetime64(month["month"], "M")
        assert month["contacts"] == int((inside & data.resolved).sum())
        assert month["observed"] == pytest.approx(data.target[inside & data.resolved].mean())
    assert result["contacts"] == sum(month["contacts"] for month in result["months"])
    assert 0.5 < result["pooled_roc_auc"] < 1
