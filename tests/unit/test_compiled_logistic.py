"""compile_logistic and CompiledLogistic: exact on the shapes they know, refusing others and bad values."""

import json
import math

import numpy as np
import pytest
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

from chaos.domain.features import BOOLEAN, CATEGORICAL, MODEL_FEATURES, NUMERIC, SOCIO_ECONOMIC
from chaos.domain.model_store import ModelLoadError
from chaos.infrastructure.demo.generator import generate
from chaos.infrastructure.models.artifacts import feature_groups, library_versions
from chaos.infrastructure.models.compiled_logistic import CompiledLogistic, signed_log
from chaos.infrastructure.models.publishing import ArtifactPublisher
from chaos.infrastructure.training.frame import feature_frame
from chaos.infrastructure.training.logistic_compiler import UncompilablePipeline, compile_logistic
from chaos.infrastructure.training.packaging import packaged
from chaos.infrastructure.training.pipelines import logistic
from tests.artifacts import resign

NUMBERS = list(NUMERIC + SOCIO_ECONOMIC)
pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(3)
    demo = generate(800, seed=4)
    labelled = [row for row in demo.marketing if row["subscription"] is not None]
    rows = [
        {name: row[name] for name in MODEL_FEATURES if name in row}
        | {name: None if rng.random() < 0.1 else float(rng.normal(90, 5)) for name in SOCIO_ECONOMIC}
        for row in labelled
    ]
    return rows, [row["subscription"] for row in labelled]


def fitted(data, numbers=None, labels=None, classifier=None, **transformer_options):
    rows, target = data
    numbers = numbers or make_pipeline(SimpleImputer(strategy="median", add_indicator=True), StandardScaler())
    labels = labels or make_pipeline(
        SimpleImputer(strategy="constant", fill_value="missing"), OneHotEncoder(handle_unknown="ignore")
    )
    blocks = [("numbers", numbers, NUMBERS + list(BOOLEAN)), ("labels", labels, list(CATEGORICAL))]
    pipeline = Pipeline(
        [
            ("features", ColumnTransformer(blocks, **transformer_options)),
            ("classifier", classifier or LogisticRegression(max_iter=50)),
        ]
    )
    return pipeline.fit(feature_frame(rows), target)


def assert_exact(pipeline, rows):
    compiled = compile_logistic(pipeline)
    expected = pipeline.predict_proba(feature_frame(rows))[:, 1]
    assert np.abs(np.array([compiled.predict_one(row) for row in rows]) - expected).max() <= 1e-12
    assert np.abs(np.array(compiled.predict_many(rows)) - expected).max() <= 1e-12


def test_the_default_family_is_exact_with_unseen_labels_and_missing_values(data):
    rows, target = data
    pipeline = logistic().fit(feature_frame(rows[:600]), target[:600])
    odd = [rows[0] | {"job_type": "Astronaute", "balance": None}, dict.fromkeys(MODEL_FEATURES)]
    balances = (-8019, -0.5, 0, 98_417)
    signs = [rows[1] | {"balance": balance, "nb_day_last_contact": -1} for balance in balances]
    assert_exact(pipeline, rows[600:] + odd + signs)
    assert {t.name for t in compile_logistic(pipeline).numbers if t.signed_log} == set(NUMERIC)


@pytest.mark.parametrize(
    "numbers",
    [
        SimpleImputer(strategy="mean"),
        make_pipeline(SimpleImputer(strategy="median"), StandardScaler(with_mean=False)),
        make_pipeline(SimpleImputer(add_indicator=True), StandardScaler(with_std=False)),
        make_pipeline(SimpleImputer(keep_empty_features=True, add_indicator=True), StandardScaler()),
        make_pipeline(FunctionTransformer(signed_log), SimpleImputer(strategy="median")),
    ],
    ids=["no-scaler", "no-centering", "no-scaling", "keep-empty", "signed-log-unscaled"],
)
def test_variants_of_the_number_block_are_exact(data, numbers):
    assert_exact(fitted(data, numbers=numbers), data[0][:300])


@pytest.mark.filterwarnings("ignore:Skipping features without any observed values")
def test_a_number_missing_in_all_training_rows_is_exact(data):
    rows, target = data
    emptied = ([row | {"age": None} for row in rows], target)
    assert_exact(fitted(emptied), rows[:200])


@pytest.mark.parametrize(
    ("options", "reason"),
    [
        ({"classifier": HistGradientBoostingClassifier(max_iter=5)}, "not a Pipeline"),
        ({"labels": OneHotEncoder(handle_unknown="ignore")}, "neither SimpleImputer"),
        ({"labels": make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder())}, "only One"),
        (
            {
                "labels": make_pipeline(
                    SimpleImputer(strategy="constant", fill_value="?"), OneHotEncoder(drop="first")
                )
            },
            "only One",
        ),
        (
            {
                "labels": make_pipeline(
                    SimpleImputer(strategy="constant", fill_value="?"),
                    OneHotEncoder(handle_unknown="infrequent_if_exist", min_frequency=50),
                )
            },
            "only One",
        ),
        ({"numbers": make_pipeline(SimpleImputer(), StandardScaler(), StandardScaler())}, "neither"),
        ({"numbers": make_pipeline(FunctionTransformer(np.abs), SimpleImputer())}, "only function"),
        (
            {"numbers": make_pipeline(FunctionTransformer(signed_log), StandardScaler(), SimpleImputer())},
            "neither",
        ),
        ({"transformer_weights": {"numbers": 2.0, "labels": 1.0}}, "weighted"),
    ],
)
def test_a_shape_without_an_exact_compiled_form_is_refused(data, options, reason):
    with pytest.raises(UncompilablePipeline, match=reason):
        compile_logistic(fitted(data, **options))


def test_a_pipeline_ignoring_a_model_feature_is_refused(data):
    rows, target = data
    blocks = [("numbers", SimpleImputer(), NUMBERS), ("labels", "drop", list(CATEGORICAL) + list(BOOLEAN))]
    pipeline = make_pipeline(ColumnTransformer(blocks), LogisticRegression(max_iter=50)).fit(
        feature_frame(rows), target
    )
    with pytest.raises(UncompilablePipeline, match="each model feature once"):
        compile_logistic(pipeline)


@pytest.fixture(scope="module")
def compiled(data):
    return compile_logistic(fitted(data))


@pytest.mark.parametrize(
    ("feature", "value", "message"),
    [
        ("age", "40", "'age': '40' is not a number"),
        ("age", True, "'age': True is not a number"),
        ("has_default", 1, "'has_default': 1 is not a boolean"),
        ("job_type", 3, "'job_type': 3 is not a string"),
        ("balance", math.inf, "'balance': inf is not a finite number"),
    ],
)
def test_a_wrong_value_is_refused_by_both_paths(compiled, data, feature, value, message):
    row = data[0][0] | {feature: value}
    with pytest.raises(ValueError, match=message):
        compiled.predict_one(row)
    with pytest.raises(ValueError, match=message):
        compiled.predict_many([data[0][1], row])


def test_a_record_lacking_a_feature_is_refused_by_both_paths(compiled, data):
    row = {name: value for name, value in data[0][0].items() if name != "contact"}
    with pytest.raises(ValueError, match=r"lack \['contact'\]"):
        compiled.predict_one(row)
    with pytest.raises(ValueError, match=r"lack \['contact'\]"):
        compiled.predict_many([data[0][1], row])


def test_extreme_inputs_give_probabilities_without_overflow(compiled, data):
    low, high = (data[0][0] | {"balance": sign * 10**12} for sign in (-1, 1))
    scores = [compiled.predict_one(low), compiled.predict_one(high), *compiled.predict_many([low, high])]
    assert all(0.0 <= score <= 1.0 for score in scores)
    assert {round(score) for score in scores} == {0, 1}
    assert compiled.predict_many([]) == []


def test_the_saved_form_scores_bit_for_bit_like_the_compiled_one(compiled, data):
    reloaded = CompiledLogistic.from_json(json.loads(json.dumps(compiled.to_json())))
    rows = data[0][:200]
    assert [reloaded.predict_one(row) for row in rows] == [compiled.predict_one(row) for row in rows]
    assert reloaded.predict_many(rows) == compiled.predict_many(rows)


def test_a_form_saved_before_log_scales_existed_reads_as_linear(compiled, data):
    saved = compiled.to_json()
    older = saved | {"numbers": [{k: v for k, v in t.items() if k != "signed_log"} for t in saved["numbers"]]}
    reloaded = CompiledLogistic.from_json(older)
    assert not any(t.signed_log for t in reloaded.numbers)
    assert reloaded.predict_many(data[0][:50]) == compiled.predict_many(data[0][:50])


def _number_changed(saved: dict, **change) -> dict:
    return saved | {"numbers": [saved["numbers"][0] | change, *saved["numbers"][1:]]}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda saved: saved | {"family": "forest"}, "family 'forest'"),
        (lambda saved: _number_changed(saved, signed_log="yes"), "signed_log 'yes' is not a boolean"),
        (lambda saved: _number_changed(saved, coef=True), "True is not a finite number"),
        (lambda saved: saved | {"intercept": "0.3"}, "'0.3' is not a finite number"),
        (lambda saved: saved | {"numbers": saved["numbers"][1:]}, "are not the model features"),
        (lambda saved: saved | {"labels": [{"name": "job_type"}]}, "not a compiled logistic scorer"),
        (lambda saved: [saved], "not a compiled logistic scorer"),
    ],
)
def test_a_damaged_saved_form_is_refused(compiled, change, message):
    with pytest.raises(ValueError, match=message):
        CompiledLogistic.from_json(change(compiled.to_json()))


def metadata():
    return {"library_versions": library_versions(), "features": feature_groups(), "vocabulary": {}}


def test_the_store_saves_nothing_it_could_not_serve(tmp_path, data):
    store = ArtifactPublisher(tmp_path)
    pipeline = fitted(data, labels=make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder()))
    with pytest.raises(UncompilablePipeline, match="cannot compile"):
        store.publish(packaged(pipeline), metadata(), champion=True)
    assert store.versions() == [] and store.champion() is None


@pytest.mark.parametrize("content", ["{not json", '{"family": "logistic"}'])
def test_the_store_names_a_corrupt_scorer_even_with_its_hash(tmp_path, data, content):
    store = ArtifactPublisher(tmp_path)
    version = store.publish(packaged(fitted(data)), metadata(), champion=True)
    (tmp_path / version / "scorer.json").write_text(content)
    resign(tmp_path, version, "scorer.json")
    with pytest.raises(ModelLoadError, match=f"model {version}: .*scorer.json is corrupt"):
        store.load()
