"""Time-ordered holdout and the holdout metrics."""

import json

import numpy as np
import pytest

from chaos.domain.features import MODEL_FEATURES
from chaos.domain.served_figures import calibration_slope
from chaos.entrypoints.cli.train import sensitivity_lines
from chaos.infrastructure.training.evaluation import evaluate, holdout_metrics
from chaos.infrastructure.training.frame import feature_frame
from chaos.infrastructure.training.report import _sensitivity
from chaos.infrastructure.training.training_data import TrainingData


def test_the_holdout_is_the_latest_fifth_of_contacts():
    dates = np.arange("2010-01-01", "2010-01-11", dtype="datetime64[D]")
    frame = feature_frame([{name: None for name in MODEL_FEATURES} | {"age": i} for i in range(10)])
    everything = np.ones(10, dtype=bool)
    data = TrainingData(frame, np.arange(10) % 2 == 0, dates, everything, everything, np.full(10, 20))
    older, holdout = data.split(0.2)
    assert older.features["age"].tolist() == list(range(8))
    assert holdout.features["age"].tolist() == [8, 9]
    assert holdout.dates.tolist() == dates[8:].tolist()
    assert holdout.target.tolist() == [True, False]


def test_contacts_without_indicators_count_in_the_split_then_are_left_out():
    """The holdout stays the latest fifth of all contacts; the unusable ones are then dropped and counted."""
    dates = np.arange("2010-01-01", "2010-01-11", dtype="datetime64[D]")
    frame = feature_frame([{name: None for name in MODEL_FEATURES} | {"age": i} for i in range(10)])
    usable = np.arange(10) >= 3
    data = TrainingData(
        frame, np.arange(10) % 2 == 0, dates, usable, np.ones(10, dtype=bool), np.full(10, 20)
    )
    assert data.left_out == 3
    older, holdout = (part.rows(part.labelled) for part in data.split(0.2))
    assert older.features["age"].tolist() == [3, 4, 5, 6, 7]
    assert older.dates.tolist() == dates[3:8].tolist()
    assert holdout.features["age"].tolist() == [8, 9]
    assert older.left_out == holdout.left_out == 0


DATES = np.array(["2010-01-05", "2010-01-20", "2010-02-03", "2010-02-17"], dtype="datetime64[D]")


def test_metrics_of_a_perfect_and_of_an_inverted_ranking():
    target = np.array([False, True, False, True])
    perfect = holdout_metrics(target, np.array([0.1, 0.8, 0.2, 0.9]), DATES)
    assert perfect["roc_auc"] == 1.0 and perfect["pr_auc"] == 1.0 and perfect["within_month_auc"] == 1.0
    assert perfect["brier"] == pytest.approx((0.01 + 0.04 + 0.04 + 0.01) / 4)
    assert perfect["brier_constant"] == 0.25 and perfect["brier_skill"] == pytest.approx(1 - 0.025 / 0.25)
    inverted = holdout_metrics(target, np.array([0.9, 0.2, 0.8, 0.1]), DATES)
    assert inverted["roc_auc"] == 0.0 and inverted["log_loss"] > perfect["log_loss"]


def test_a_slope_without_a_finite_fit_is_null_in_the_metadata_and_n_a_where_printed():
    target = np.array([False, True, False, True])
    metrics = holdout_metrics(target, np.array([0.1, 0.8, 0.2, 0.9]), DATES)  # separated classes
    assert metrics["calibration_slope"] is None
    assert json.loads(json.dumps(metrics))["calibration_slope"] is None
    overlapping = holdout_metrics(target, np.array([0.1, 0.8, 0.85, 0.9]), DATES)
    assert overlapping["calibration_slope"] == calibration_slope(target, np.array([0.1, 0.8, 0.85, 0.9]))
    row = {"reporting_lag_days": 0, "roc_auc": 1.0, "within_month_auc": 1.0, "brier": 0.02}
    rows = {"reporting_lag_days": [row | {"calibration_slope": None, "stale_days": 0}]}
    assert sensitivity_lines(rows) == [
        "  outcomes reported late (lag): 0 d: AUC 1.0000 Brier 0.0200 slope n/a"
    ]
    table = _sensitivity(rows, {"reporting_lag_days": 0})
    assert "<td>n/a</td>" in table and "<td>1.0000</td>" in table


def test_the_within_month_auc_ignores_a_level_that_moves_between_months():
    """January ranks perfectly, February inversely; February's scores are all higher than January's.
    Pooled AUC is flattered by the level; within months, half the pairs are right."""
    target = np.array([False, True, False, True])
    probability = np.array([0.1, 0.2, 0.9, 0.8])
    metrics = holdout_metrics(target, probability, DATES)
    assert metrics["within_month_auc"] == 0.5
    assert metrics["roc_auc"] == 0.5


def test_a_single_class_holdout_is_refused():
    with pytest.raises(ValueError, match="single class"):
        holdout_metrics(np.array([False, False]), np.array([0.1, 0.2]), DATES[:2])


def test_the_contacts_the_service_refuses_are_counted_and_the_answered_ones_judged_apart():
    rng = np.random.default_rng(5)
    dates = np.sort(np.datetime64("2009-01-01") + rng.integers(0, 200, 2000)).astype("datetime64[D]")
    log_odds = rng.normal(-1, 1, 2000)
    target = rng.random(2000) < 1 / (1 + np.exp(-log_odds))
    everyone = np.ones(2000, dtype=bool)
    answered = dates < np.datetime64("2009-07-01")  # later contacts: indicators too old
    evaluation = evaluate(log_odds, target, dates, everyone, everyone, answered=answered)
    start = 2000 - 400
    assert evaluation.coverage["judged"] == 400
    assert evaluation.coverage["refused_as_stale"] == int((~answered[start:]).sum()) > 0
    inside = answered[start:]
    expected = holdout_metrics(target[start:][inside], evaluation.probability[inside], dates[start:][inside])
    assert evaluation.coverage["metrics_answered"] == expected
    assert evaluation.metrics != expected
