"""Training on the real export (when present) under the point-in-time as-of rule: the contacts of the
first month have no indicator dated before them and are left out; the time-ordered holdout, scored
as served (calibrated day by day to the outcomes before each day), must reach the acceptance bar, and
a candidate trained on contacts before August 2008 only must be refused by the promotion gate."""

from datetime import date

import pytest
import sqlalchemy as sa

from chaos.application.train_model_for_appetence import PromotionRefused
from chaos.bootstrap import training_on
from chaos.domain.training import TrainingWindow
from chaos.infrastructure.config.settings import ImportSettings
from chaos.infrastructure.db.tables import marketing
from chaos.infrastructure.importing import MARKETING, SOCIO_ECO, import_csv
from chaos.infrastructure.models.publishing import ArtifactPublisher
from tests.support.database import publisher_model, settings_on
from tests.support.figures import check_uncertainty


@pytest.mark.slow
def test_real_export_holdout_roc_auc_without_duration_contact_nor_look_ahead(
    engine, database_settings, shared_data, tmp_path
):
    options = {"max_reject_ratio": ImportSettings().max_reject_ratio, "rejects_dir": tmp_path}
    import_csv(engine, shared_data / "socio_eco.csv", SOCIO_ECO, **options)
    import_csv(engine, shared_data / "data.csv", MARKETING, **options)
    settings = settings_on(database_settings, model=publisher_model(tmp_path / "models"))
    version = training_on(settings, engine).train(True)
    store = ArtifactPublisher(settings.model.directory, settings.model.public_keys)
    metadata = store.metadata(version)
    assert metadata["data"]["rows"] == 45_136
    assert metadata["excluded"].keys() == {"duration_contact"}
    with engine.connect() as connection:
        first_month = connection.scalar(
            sa.select(sa.func.count()).where(marketing.c.date <= date(2008, 5, 31))
        )
    assert metadata["data"]["rows_without_socio_eco"] == first_month > 0
    assert metadata["data"]["rows_pending"] == 734
    assert metadata["data"]["rows_holdout"] < round(
        45_136 * 0.2
    )  # the holdout's pending calls are not judged
    assert metadata["as_of"]["publication_lag_days"] == 0
    assert metadata["data"]["holdout_first_date"] == "2009-05-11"
    metrics = metadata["metrics"]
    assert metrics["roc_auc"] >= 0.764 and metrics["within_month_auc"] >= 0.62
    assert 0.85 <= metrics["calibration_slope"] <= 1.15
    assert metrics["brier"] <= 0.176
    assert metrics["brier"] < metrics["brier_constant"]
    (late,) = [row for row in metadata["sensitivity"]["reporting_lag_days"] if row["reporting_lag_days"] == 7]
    assert late["brier"] <= 0.184
    check_uncertainty(metadata)
    intervals, steady = metadata["intervals"], metadata["steady"]
    for name in ("roc_auc", "brier"):
        low, high = intervals[name]
        assert low < metrics[name] < high
    # the holdout's first month, the end of the campaign of May 2009, holds 40% of it; the others are steady
    assert [month["month"] for month in steady["dominant"]] == ["2009-05"]
    assert intervals["months"] == len(steady["months"]) + 1
    steady_auc = steady["metrics"]["roc_auc"]
    low, high = steady["intervals"]["roc_auc"]
    assert low < steady_auc < high and high - low < intervals["roc_auc"][1] - intervals["roc_auc"][0]
    assert steady_auc < metrics["roc_auc"] and steady["metrics"]["brier_skill"] > 0
    coverage = metadata["coverage"]  # March 2010: the newest complete indicators are 63-90 days old
    assert (coverage["judged"], coverage["refused_as_stale"]) == (metadata["data"]["rows_holdout"], 184)

    with pytest.raises(PromotionRefused) as refused:
        training_on(settings, engine).train(True, window=TrainingWindow(until=date(2008, 8, 1)))
    assert store.champion() == version
    assert refused.value.comparison.auc_difference_interval[0] < -0.01
