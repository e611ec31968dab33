"""The compiled scorer equals the sklearn pipeline on every holdout row.

The model is trained by `chaos train`'s own code on demo data in PostgreSQL and loaded as it is
served; a pipeline with no exact compiled form fails to load, so changing the model without a
fast path fails here.
"""

import math

import numpy as np
import pytest

from chaos.bootstrap import training_on
from chaos.domain.calibration import Calibration
from chaos.domain.features import BOOLEAN, CATEGORICAL, MODEL_FEATURES
from chaos.domain.holdout import HOLDOUT_SHARE
from chaos.infrastructure.demo.seeding import seed_demo
from chaos.infrastructure.models.publishing import ArtifactPublisher
from chaos.infrastructure.training.frame import feature_frame
from chaos.infrastructure.training.training_data import load_training_data
from tests.support.database import publisher_model, settings_on

TOLERANCE = 1e-9


@pytest.fixture
def seeded(engine):
    seed_demo(engine, rows=6000, seed=5)
    return engine


def holdout_records(engine) -> list[dict]:
    """The holdout as serving sees it: None for missing, booleans as bool, numbers as float."""
    _, holdout = load_training_data(engine).split(HOLDOUT_SHARE)
    records = []
    for row in holdout.features.to_dict("records"):
        record = {name: None if _is_nan(value) else value for name, value in row.items()}
        records.append(record | {name: bool(record[name]) for name in BOOLEAN if record[name] is not None})
    return records


def stressed(records: list[dict]) -> list[dict]:
    """Rows the holdout may lack: labels never seen in training, everything missing, NaN numbers."""
    unseen = [record | {name: f"jamais vu {name}" for name in CATEGORICAL} for record in records[:50]]
    empty = [dict.fromkeys(MODEL_FEATURES)] + [
        record | dict.fromkeys(MODEL_FEATURES[: i + 1]) for i, record in enumerate(records[:16])
    ]
    nan = [record | {"age": math.nan, "idx_consumer_price": math.nan} for record in records[:10]]
    return unseen + empty + nan


def test_the_served_scores_equal_the_pipeline_on_every_holdout_row(seeded, database_settings, tmp_path):
    settings = settings_on(database_settings, model=publisher_model(tmp_path / "models"))
    version = training_on(settings, seeded).train(True)
    model = ArtifactPublisher(settings.model.directory, settings.model.public_keys).load(version)
    holdout = holdout_records(seeded)
    rows = holdout + stressed(holdout)
    assert any(None in record.values() for record in holdout), "the holdout must hold missing values"

    expected = model.pipeline.decision_function(feature_frame(rows))
    one = np.array([model.log_odds_one(record) for record in rows])
    many = np.array(model.log_odds_many(rows))
    assert np.abs(one - expected).max() <= TOLERANCE
    assert np.abs(many - expected).max() <= TOLERANCE
    assert len(set(np.round(expected, 6))) > len(rows) // 10, "the scores must vary with the features"

    for shift in (-1.7, 0.0, 2.6):  # the served probability, calibration included
        calibration = Calibration(shift, 7, None, None, 100, 0.5)
        served = np.array([calibration.probability(log_odds) for log_odds in one])
        assert np.abs(served - 1 / (1 + np.exp(-(expected + shift)))).max() <= TOLERANCE
    explained = np.array([model.intercept + sum(model.contributions(record).values()) for record in rows])
    assert np.abs(explained - expected).max() <= TOLERANCE


def _is_nan(value) -> bool:
    return isinstance(value, float) and math.isnan(value)
