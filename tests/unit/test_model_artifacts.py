"""ArtifactPublisher on a local directory: versions, the champion pointer and its history, and refusing
artifacts that cannot be served."""

import hashlib
import json
import math
import re

import numpy as np
import pytest

from chaos.domain.features import MODEL_FEATURES
from chaos.domain.model_store import ChampionConflict, ModelLoadError
from chaos.infrastructure.demo.generator import generate
from chaos.infrastructure.models import artifacts
from chaos.infrastructure.models.artifacts import feature_groups, library_versions
from chaos.infrastructure.models.publishing import ArtifactPublisher
from chaos.infrastructure.models.storage import ObjectExists
from chaos.infrastructure.training.frame import feature_frame
from chaos.infrastructure.training.packaging import packaged
from chaos.infrastructure.training.pipelines import logistic
from tests.artifacts import resign


@pytest.fixture(scope="module")
def records():
    rng = np.random.default_rng(0)
    demo = generate(1500, seed=1)
    indicators = {
        "employment_variation_rate": -1.0,
        "idx_consumer_price": 93.0,
        "idx_consumer_confidence": -40.0,
    }
    labelled = [row for row in demo.marketing if row["subscription"] is not None]
    return [
        {name: row[name] for name in MODEL_FEATURES if name in row}
        | {name: value + float(rng.normal()) for name, value in indicators.items()}
        for row in labelled
    ], [row["subscription"] for row in labelled]


@pytest.fixture(scope="module")
def pipeline(records):
    rows, target = records
    return logistic().fit(feature_frame(rows), target)


def metadata():
    return {
        "library_versions": library_versions(),
        "features": feature_groups(),
        "vocabulary": {"job_type": ["Manager", "Technicien"]},
        "metrics": {"roc_auc": 0.7},
    }


def test_round_trip_scores_like_the_saved_pipeline(tmp_path, pipeline, records):
    rows, _ = records
    store = ArtifactPublisher(tmp_path / "models")
    version = store.publish(packaged(pipeline), metadata(), champion=True)
    model = store.load()
    assert model.version == version
    assert model.metadata["version"] == version and model.metadata["metrics"] == {"roc_auc": 0.7}
    assert model.vocabulary == {"job_type": ["Manager", "Technicien"]}
    expected = pipeline.decision_function(feature_frame(rows[:50]))
    assert model.log_odds_many(rows[:50]) == pytest.approx(expected.tolist(), abs=1e-12)
    assert model.log_odds_one(rows[7]) == pytest.approx(expected[7], abs=1e-12)
    assert model.log_odds_many([]) == []
    assert (tmp_path / "models" / version / "model.joblib").is_file()


def test_versions_are_unique_newest_first_and_the_champion_is_a_marker(tmp_path, pipeline):
    store = ArtifactPublisher(tmp_path)
    first = store.publish(packaged(pipeline), metadata(), champion=True)
    second = store.publish(packaged(pipeline), metadata(), champion=False)
    third = store.publish(packaged(pipeline), metadata(), champion=False)
    assert len({first, second, third}) == 3
    assert store.versions() == [third, second, first]
    assert store.champion() == first
    assert "champion" not in store.metadata(first)
    store.set_champion(third, {"forced": True})
    assert store.champion() == third and store.load().version == third
    assert store.load(second).version == second
    assert [(event["from"], event["to"]) for event in store.history()] == [(first, third), (None, first)]
    assert store.history()[0]["forced"] is True and store.history()[0]["host"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == [".CHAMPION.lock"]


def test_a_version_is_never_overwritten(tmp_path, pipeline):
    store = ArtifactPublisher(tmp_path)
    version = store.publish(packaged(pipeline), metadata(), champion=False)
    with pytest.raises(ObjectExists, match=re.escape(f"{tmp_path / version / 'scorer.json'} exists")):
        store.storage.create(f"{version}/scorer.json", b"{}")


def test_a_promotion_from_a_stale_read_is_refused_and_overwrites_nothing(tmp_path, pipeline):
    store = ArtifactPublisher(tmp_path)
    first = store.publish(packaged(pipeline), metadata(), champion=True)
    second = store.publish(packaged(pipeline), metadata(), champion=False)
    third = store.publish(packaged(pipeline), metadata(), champion=False)
    read = store.champion_pointer()
    store.set_champion(second, {})
    with pytest.raises(ChampionConflict, match=f"changed from {first} to {second} meanwhile: {third} not"):
        store.set_champion(third, {}, read)
    assert store.champion() == second and len(store.history()) == 2


def test_a_missing_directory_is_named(tmp_path):
    with pytest.raises(ModelLoadError, match=re.escape(f"no champion model in {tmp_path / 'absent'}")):
        ArtifactPublisher(tmp_path / "absent").load()


def test_no_champion_says_how_to_make_one(tmp_path, pipeline):
    store = ArtifactPublisher(tmp_path)
    store.publish(packaged(pipeline), metadata(), champion=False)
    with pytest.raises(ModelLoadError, match=r"no champion model.*chaos train --champion"):
        store.load()


@pytest.mark.parametrize("version", ["20000101T000000Z", "../elsewhere", "CHAMPION"])
def test_an_unknown_version_is_refused(tmp_path, pipeline, version):
    store = ArtifactPublisher(tmp_path)
    store.publish(packaged(pipeline), metadata(), champion=True)
    with pytest.raises(ModelLoadError, match="no model version"):
        store.load(version)
    with pytest.raises(ModelLoadError, match="no model version"):
        store.set_champion(version, {})


def test_the_pipeline_is_read_on_demand_and_a_corrupt_one_is_named(tmp_path, pipeline, records):
    store = ArtifactPublisher(tmp_path)
    version = store.publish(packaged(pipeline), metadata(), champion=True)
    assert store.load().pipeline.predict_proba(feature_frame(records[0][:3])).shape == (3, 2)
    (tmp_path / version / "model.joblib").write_bytes(b"not a pickle")
    resign(tmp_path, version, "model.joblib")
    model = store.load()
    assert math.isfinite(model.log_odds_one(records[0][0]))
    with pytest.raises(ModelLoadError, match=re.escape(f"model {version}: model.joblib is corrupt")):
        model.pipeline  # noqa: B018 (the property is the call under test)


@pytest.mark.parametrize("file", ["model.joblib", "scorer.json", "metadata.json", "manifest.json"])
def test_a_half_uploaded_version_is_refused_naming_the_file(tmp_path, pipeline, file):
    store = ArtifactPublisher(tmp_path)
    version = store.publish(packaged(pipeline), metadata(), champion=True)
    (tmp_path / version / file).unlink()
    with pytest.raises(ModelLoadError, match=re.escape(f"{tmp_path / version / file} is missing")):
        store.load()


def test_a_scorer_edited_after_training_is_refused_naming_the_file(tmp_path, pipeline):
    """Valid JSON, every weight multiplied by 100: it would load and serve nonsense without the signature."""
    store = ArtifactPublisher(tmp_path)
    version = store.publish(packaged(pipeline), metadata(), champion=True)
    scorer = tmp_path / version / "scorer.json"
    saved = json.loads(scorer.read_text())
    saved["numbers"] = [term | {"coef": term["coef"] * 100} for term in saved["numbers"]]
    scorer.write_text(json.dumps(saved))
    with pytest.raises(ModelLoadError, match=re.escape(f"{scorer} does not match its signed manifest")):
        store.load()
    with pytest.raises(ModelLoadError, match=r"scorer\.json does not match"):
        store.load(version)


def test_the_manifest_records_the_sha256_of_every_file(tmp_path, pipeline):
    store = ArtifactPublisher(tmp_path)
    version = store.publish(
        packaged(pipeline), metadata(), champion=True, files=lambda name: {"report.html": name.encode()}
    )
    files = json.loads((tmp_path / version / "manifest.json").read_text())["manifest"]["files"]
    assert set(files) == {"model.joblib", "scorer.json", "report.html", "metadata.json"}
    assert files["report.html"] == hashlib.sha256(version.encode()).hexdigest()
    assert store.report(version) == version.encode()
    (tmp_path / version / "report.html").write_text("<script>changed</script>")
    with pytest.raises(ModelLoadError, match=r"report\.html does not match"):
        store.report(version)


def test_an_unsigned_manifest_is_refused(tmp_path, pipeline):
    store = ArtifactPublisher(tmp_path)
    version = store.publish(packaged(pipeline), metadata(), champion=True)
    path = tmp_path / version / "manifest.json"
    path.write_text(json.dumps({"manifest": json.loads(path.read_text())["manifest"]}))
    with pytest.raises(ModelLoadError, match=re.escape(f"{path} refused: not a signed manifest")):
        store.load()


@pytest.mark.parametrize("content", ["{not json", "[1, 2]"])
def test_corrupt_metadata_is_named(tmp_path, pipeline, content):
    store = ArtifactPublisher(tmp_path)
    version = store.publish(packaged(pipeline), metadata(), champion=True)
    (tmp_path / version / "metadata.json").write_text(content)
    resign(tmp_path, version, "metadata.json")
    with pytest.raises(ModelLoadError, match=re.escape(f"{tmp_path / version / 'metadata.json'} is corrupt")):
        store.load()


@pytest.mark.parametrize(
    ("key", "change"),
    [
        ("library_versions", lambda value: value | {"scikit-learn": "0.24.2"}),
        ("library_versions", lambda value: value | {"python": "3.8"}),
        ("features", lambda value: value | {"numeric": [*value["numeric"], "duration_contact"]}),
        ("features", lambda value: {k: v for k, v in value.items() if k != "socio_economic"}),
    ],
)
def test_an_artifact_built_by_other_code_is_incompatible(tmp_path, pipeline, key, change):
    store = ArtifactPublisher(tmp_path)
    version = store.publish(packaged(pipeline), metadata(), champion=True)
    path = tmp_path / version / "metadata.json"
    saved = json.loads(path.read_text())
    saved[key] = change(saved[key])
    path.write_text(json.dumps(saved))
    resign(tmp_path, version, "metadata.json")
    with pytest.raises(ModelLoadError, match=re.escape(f"incompatible: {key} in {path}")):
        store.load()


def test_a_version_signed_for_another_feature_list_is_refused(tmp_path, pipeline):
    store = ArtifactPublisher(tmp_path)
    version = store.publish(packaged(pipeline), metadata(), champion=True)
    other = feature_groups() | {"numeric": ["age"]}
    resign(tmp_path, version, "scorer.json", features=other)
    with pytest.raises(ModelLoadError, match=f"model {version} was trained on another feature list"):
        store.load()


def test_an_install_without_the_training_libraries_serves_the_model_they_built(
    tmp_path, pipeline, records, monkeypatch
):
    """A serving install (no chaos[train]) lacks scikit-learn, pandas and joblib: the compiled scorer
    needs none of them, so only the libraries present are compared."""
    store = ArtifactPublisher(tmp_path)
    store.publish(packaged(pipeline), metadata(), champion=True)
    installed = artifacts.distributions.version

    def version(name: str) -> str:
        if name in artifacts.TRAINING_LIBRARIES:
            raise artifacts.distributions.PackageNotFoundError(name)
        return installed(name)

    monkeypatch.setattr(artifacts.distributions, "version", version)
    assert math.isfinite(store.load().log_odds_one(records[0][0]))
    saved = json.loads(next(tmp_path.glob("*/metadata.json")).read_text())
    assert set(saved["library_versions"]) > set(library_versions())  # training recorded all of them
