"""Versioned model artifacts on disk: `<directory>/<version>/{model.joblib,metadata.json}` + `CHAMPION`.

A version directory is written aside and renamed into place, and the `CHAMPION` marker (the
version to serve) is replaced by rename, so a reader never sees a half-written artifact. Loading
refuses an artifact whose library versions or feature list differ from the running code: a pickle
from another scikit-learn may load yet score differently.
"""

import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

import joblib

from chaos.domain.features import BOOLEAN, CATEGORICAL, NUMERIC, SOCIO_ECONOMIC
from chaos.domain.scoring import ScoringModel
from chaos.infrastructure.models.compiled_logistic import UncompilablePipeline, compile_logistic

MODEL_FILE = "model.joblib"
METADATA_FILE = "metadata.json"
CHAMPION_FILE = "CHAMPION"
_VERSION = re.compile(r"^(\d{8}T\d{6}Z)(?:-(\d+))?$")


class ModelLoadError(Exception):
    """No usable model: missing directory or version, corrupt file, or built by other code."""


def feature_groups() -> dict[str, list[str]]:
    """The feature list as metadata records it (and as `load` expects it back)."""
    return {
        "categorical": list(CATEGORICAL),
        "boolean": list(BOOLEAN),
        "numeric": list(NUMERIC),
        "socio_economic": list(SOCIO_ECONOMIC),
    }


def library_versions() -> dict[str, str]:
    """Versions of the running libraries that an artifact must have been built with."""
    import numpy
    import pandas
    import sklearn

    return {
        "python": f"{sys.version_info.major}.{sys.version_info.minor}",
        "scikit-learn": sklearn.__version__,
        "numpy": numpy.__version__,
        "pandas": pandas.__version__,
        "joblib": joblib.__version__,
    }


class TrainedModel(ScoringModel):
    """A fitted scikit-learn pipeline with its metadata, behind the domain's scoring port.

    Scores come from the pipeline compiled at load time (compiled_logistic), equal to
    `pipeline.predict_proba` without its per-call pandas and validation cost; the constructor
    raises UncompilablePipeline for a pipeline that has no exact compiled form."""

    def __init__(self, version: str, pipeline, metadata: dict):
        self.version = version
        self.pipeline = pipeline
        self.metadata = metadata
        self.vocabulary: dict[str, list[str]] = metadata["vocabulary"]
        self.scorer = compile_logistic(pipeline)

    def predict_one(self, features: Mapping[str, object]) -> float:
        return self.scorer.predict_one(features)

    def predict_many(self, rows: Sequence[Mapping[str, object]]) -> list[float]:
        return self.scorer.predict_many(rows)


class ArtifactStore:
    """The model directory: saves new versions, names the champion, loads a version for serving."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)

    def save(self, pipeline, metadata: dict, champion: bool) -> str:
        """Write a new version (its name is added to `metadata`) and return it."""
        self.directory.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=self.directory))
        try:
            joblib.dump(pipeline, staging / MODEL_FILE)
            version = self._claim(staging, metadata)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        if champion:
            self.set_champion(version)
        return version

    def _claim(self, staging: Path, metadata: dict) -> str:
        """Rename the staging directory to the first free version name of this second."""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        for attempt in range(1, 1000):
            version = stamp if attempt == 1 else f"{stamp}-{attempt}"
            if (self.directory / version).exists():
                continue
            _write_json(staging / METADATA_FILE, {**metadata, "version": version})
            try:
                staging.rename(self.directory / version)
            except OSError:
                continue
            return version
        raise RuntimeError(f"no free version name under {self.directory} for {stamp}")

    def set_champion(self, version: str) -> None:
        """Mark `version` as the one to serve (atomic replace of the marker)."""
        self._version_dir(version)
        marker = self.directory / f".{CHAMPION_FILE}.{os.getpid()}"
        marker.write_text(version + "\n", encoding="utf-8")
        os.replace(marker, self.directory / CHAMPION_FILE)

    def versions(self) -> list[str]:
        """Saved versions, newest first."""
        if not self.directory.is_dir():
            return []
        found = [p.name for p in self.directory.iterdir() if p.is_dir() and _VERSION.match(p.name)]
        return sorted(found, key=_version_key, reverse=True)

    def champion(self) -> str | None:
        marker = self.directory / CHAMPION_FILE
        return marker.read_text(encoding="utf-8").strip() if marker.is_file() else None

    def metadata(self, version: str) -> dict:
        path = self._version_dir(version) / METADATA_FILE
        try:
            metadata = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as error:
            raise ModelLoadError(f"model {version}: {path} is missing") from error
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ModelLoadError(f"model {version}: {path} is corrupt ({error})") from error
        if not isinstance(metadata, dict):
            raise ModelLoadError(f"model {version}: {path} is corrupt (not a JSON object)")
        return metadata

    def load(self, version: str | None = None) -> TrainedModel:
        """The given version, or the champion; raises ModelLoadError when it cannot be served."""
        if not self.directory.is_dir():
            raise ModelLoadError(f"model directory {self.directory} does not exist: run `chaos train`")
        if version is None:
            version = self.champion()
            if version is None:
                raise ModelLoadError(f"no champion model in {self.directory}: run `chaos train --champion`")
        metadata = self.metadata(version)
        _check_compatible(version, metadata, self._version_dir(version) / METADATA_FILE)
        path = self._version_dir(version) / MODEL_FILE
        try:
            pipeline = joblib.load(path)
        except FileNotFoundError as error:
            raise ModelLoadError(f"model {version}: {path} is missing") from error
        except Exception as error:  # unpickling can raise almost anything on a damaged file
            raise ModelLoadError(f"model {version}: {path} is corrupt ({error!r})") from error
        if not hasattr(pipeline, "predict_proba"):
            raise ModelLoadError(f"model {version}: {path} holds no probabilistic classifier")
        try:
            return TrainedModel(version, pipeline, metadata)
        except UncompilablePipeline as error:
            raise ModelLoadError(f"model {version}: {path} cannot be served: {error}") from error

    def _version_dir(self, version: str) -> Path:
        if not self.directory.is_dir():
            raise ModelLoadError(f"model directory {self.directory} does not exist")
        path = self.directory / version
        if not _VERSION.match(version) or not path.is_dir():
            raise ModelLoadError(f"no model version {version!r} in {self.directory}")
        return path


def _check_compatible(version: str, metadata: dict, path: Path) -> None:
    expected = {"library_versions": library_versions(), "features": feature_groups()}
    for key, running in expected.items():
        saved = metadata.get(key)
        if saved != running:
            raise ModelLoadError(
                f"model {version} is incompatible: {key} in {path} is {saved}, the running code has "
                f"{running}; retrain with `chaos train`"
            )
    if not isinstance(metadata.get("vocabulary"), dict):
        raise ModelLoadError(f"model {version}: {path} is corrupt (no vocabulary)")


def _version_key(version: str) -> tuple[str, int]:
    stamp, suffix = _VERSION.match(version).groups()
    return stamp, int(suffix or 1)


def _write_json(path: Path, content: dict) -> None:
    path.write_text(json.dumps(content, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
