"""Training on the real export (when present): the time-ordered holdout must rank well without
duration_contact, the acceptance bar of the data foundation."""

import pytest

from chaos.application.train_model_for_appetence import train
from chaos.infrastructure.config.settings import ImportSettings, ModelSettings
from chaos.infrastructure.importing import MARKETING, SOCIO_ECO, import_csv
from chaos.infrastructure.models.artifacts import ArtifactStore
from tests.support.database import settings_on


@pytest.mark.slow
def test_real_export_holdout_roc_auc_without_duration_contact(
    engine, database_settings, shared_data, tmp_path
):
    options = {"max_reject_ratio": ImportSettings().max_reject_ratio, "rejects_dir": tmp_path}
    import_csv(engine, shared_data / "socio_eco.csv", SOCIO_ECO, **options)
    import_csv(engine, shared_data / "data.csv", MARKETING, **options)
    settings = settings_on(database_settings, model=ModelSettings(directory=tmp_path / "models"))
    version = train(settings, champion=False, engine=engine)
    metadata = ArtifactStore(settings.model.directory).metadata(version)
    assert metadata["data"]["rows"] == 45_136
    assert metadata["excluded"].keys() == {"duration_contact"}
    assert metadata["metrics"]["roc_auc"] >= 0.70
