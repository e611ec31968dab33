"""feature_frame: the one encoding of feature records shared by training and serving."""

import math

import pytest

from chaos.domain.features import MODEL_FEATURES
from chaos.infrastructure.training.frame import feature_frame


def record(**values):
    return {name: None for name in MODEL_FEATURES} | values


def test_columns_are_the_model_features_in_order():
    assert list(feature_frame([record()]).columns) == list(MODEL_FEATURES)


def test_booleans_become_one_zero_or_nan_and_none_becomes_nan():
    frame = feature_frame([record(has_default=True, age=40), record(has_default=False), record()])
    assert frame["has_default"].tolist()[:2] == [1.0, 0.0]
    assert math.isnan(frame["has_default"][2])
    assert frame["age"][0] == 40.0 and math.isnan(frame["age"][1])


def test_categoricals_stay_object_strings_with_nan_for_missing():
    frame = feature_frame([record(job_type="Manager"), record()])
    assert frame["job_type"].dtype == object
    assert frame["job_type"][0] == "Manager"
    assert math.isnan(frame["job_type"][1])


@pytest.mark.parametrize(
    ("feature", "value", "kind"),
    [
        ("has_default", "yes", "a boolean"),
        ("age", True, "a number"),
        ("age", "40", "a number"),
        ("job_type", 3, "a string"),
    ],
)
def test_a_value_of_the_wrong_type_is_refused_with_the_feature_named(feature, value, kind):
    with pytest.raises(ValueError, match=f"feature '{feature}'.*is not {kind}"):
        feature_frame([record(**{feature: value})])


def test_a_record_lacking_features_is_refused():
    incomplete = record()
    del incomplete["balance"]
    with pytest.raises(ValueError, match="lack \\['balance'\\]"):
        feature_frame([incomplete])
