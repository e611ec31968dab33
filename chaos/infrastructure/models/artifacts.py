"""Versioned model artifacts on disk: `<directory>/<version>/{model.joblib,scorer.json,report.html,
metadata.json}` and a `CHAMPION` marker.

A version directory is written aside and renamed into place, and the `CHAMPION` marker (the
version to serve) is replaced by rename, so a reader never sees a half-written artifact. Loading
refuses an artifact whose library versions or feature list differ from the running code: a pickle
from another scikit-learn may load yet score differently.

The metadata records the sha256 of every other file of the version, and loading checks them all: a
scorer whose weights were edited by hand, or a version missing a file, is refused naming the file,
instead of being served.

`scorer.json` is the pipeline compiled when it is saved (logistic_compiler; a pipeline that has
no exact compiled form is never saved). Serving loads only that file, so a worker never imports
scikit-learn, pandas, scipy or joblib, and a serving install (no `chaos[train]`) lacks them; the
pickled pipeline is read on demand, as the reference it is.
"""

import contextlib
import hashlib
import json
import os
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from functools import cached_property
from importlib import metadata as distributions
from pathlib import Path

from chaos.domain.as_of import checked_lag
from chaos.domain.features import BOOLEAN, CATEGORICAL, NUMERIC, SOCIO_ECONOMIC
from chaos.domain.scoring import ScoringModel
from chaos.infrastructure.models.compiled_logistic import CompiledLogistic
from chaos.infrastructure.models.scratch import scratch

MODEL_FILE = "model.joblib"
SCORER_FILE = "scorer.json"
METADATA_FILE = "metadata.json"
REPORT_FILE = "report.html"
REQUIRED_FILES = (MODEL_FILE, SCORER_FILE)
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


TRAINING_LIBRARIES = ("scikit-learn", "pandas", "joblib")
"""What the pickled pipeline needs: installed by `chaos[train]`, absent from a serving install."""


def library_versions() -> dict[str, str]:
    """Versions of the installed libraries that an artifact must have been built with (read from
    the package metadata: importing them would cost a serving worker their memory). A training
    library that is not installed is left out: without it only the compiled scorer can be used."""
    versions = {"python": f"{sys.version_info.major}.{sys.version_info.minor}"}
    for name in ("numpy", *TRAINING_LIBRARIES):
        with contextlib.suppress(distributions.PackageNotFoundError):
            versions[name] = distributions.version(name)
    return versions


class TrainedModel(ScoringModel):
    """A saved model behind the domain's scoring port: scores from its compiled form, equal to
    `pipeline.predict_proba` without its per-call pandas and validation cost."""

    def __init__(self, version: str, scorer: CompiledLogistic, metadata: dict, pipeline_file: Path):
        self.version = version
        self.scorer = scorer
        self.intercept = scorer.intercept
        self.metadata = metadata
        self.vocabulary: dict[str, list[str]] = metadata["vocabulary"]
        self.publication_lag_days = checked_lag(metadata.get("as_of", {}).get("publication_lag_days", 0))
        self.pipeline_file = pipeline_file

    @cached_property
    def pipeline(self):
        """The fitted scikit-learn pipeline the scorer was compiled from (imports scikit-learn)."""
        import joblib  # chaos[train]

        try:
            return joblib.load(self.pipeline_file)
        except Exception as error:  # unpickling can raise almost anything on a damaged file
            raise ModelLoadError(
                f"model {self.version}: {self.pipeline_file} is corrupt ({error!r})"
            ) from error

    def log_odds_one(self, features: Mapping[str, object]) -> float:
        return self.scorer.log_odds_one(features)

    def log_odds_many(self, rows: Sequence[Mapping[str, object]]) -> list[float]:
        return self.scorer.log_odds_many(rows)

    def contributions(self, features: Mapping[str, object]) -> dict[str, float]:
        return self.scorer.contributions(features)


class ArtifactStore:
    """The model directory: saves new versions, names the champion, loads a version for serving."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)

    def save(
        self,
        pipeline,
        metadata: dict,
        champion: bool,
        files: Callable[[str], Mapping[str, bytes]] = lambda version: {},
    ) -> str:
        """Write a new version (its name and file hashes are added to `metadata`), with the
        `files(version)` beside the pipeline (e.g. the report), and return it; raises
        UncompilablePipeline, writing nothing, for a pipeline that could not be served exactly."""
        import joblib  # chaos[train], like scikit-learn

        from chaos.infrastructure.models.logistic_compiler import compile_logistic  # imports sklearn

        scorer = compile_logistic(pipeline)
        with scratch(self.directory) as staging:
            joblib.dump(pipeline, staging / MODEL_FILE)
            _write_json(staging / SCORER_FILE, scorer.to_json())
            version = self._claim(staging, metadata, files)
        if champion:
            self.set_champion(version)
        return version

    def _claim(self, staging: Path, metadata: dict, files: Callable[[str], Mapping[str, bytes]]) -> str:
        """Rename the staging directory to the first free version name of this second, with the
        files made for that name and the metadata recording every file's sha256."""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        for attempt in range(1, 1000):
            version = stamp if attempt == 1 else f"{stamp}-{attempt}"
            if (self.directory / version).exists():
                continue
            for name, content in files(version).items():
                (staging / name).write_bytes(content)
            signed = {
                path.name: _sha256(path) for path in sorted(staging.iterdir()) if path.name != METADATA_FILE
            }
            _write_json(staging / METADATA_FILE, {**metadata, "version": version, "files": signed})
            try:
                staging.rename(self.directory / version)
            except OSError:
                continue
            return version
        raise RuntimeError(f"no free version name under {self.directory} for {stamp}")

    def set_champion(self, version: str) -> None:
        """Mark `version` as the one to serve (atomic replace of the marker)."""
        self._version_dir(version)
        with scratch(self.directory) as staging:
            marker = staging / CHAMPION_FILE
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
        directory = self._version_dir(version)
        _check_compatible(version, metadata, directory / METADATA_FILE)
        _check_signed(version, metadata, directory)
        pipeline_file, scorer_file = directory / MODEL_FILE, directory / SCORER_FILE
        try:
            scorer = CompiledLogistic.from_json(json.loads(scorer_file.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError, ValueError) as error:
            raise ModelLoadError(f"model {version}: {scorer_file} is corrupt ({error})") from error
        return TrainedModel(version, scorer, metadata, pipeline_file)

    def report(self, version: str) -> bytes:
        """The version's HTML report, checked against its recorded hash."""
        metadata = self.metadata(version)
        _check_signed(version, metadata, self._version_dir(version))
        path = self._version_dir(version) / REPORT_FILE
        if REPORT_FILE not in metadata["files"]:
            raise ModelLoadError(
                f"model {version} has no {REPORT_FILE}: it was trained before reports existed"
            )
        return path.read_bytes()

    def _version_dir(self, version: str) -> Path:
        if not self.directory.is_dir():
            raise ModelLoadError(f"model directory {self.directory} does not exist")
        path = self.directory / version
        if not _VERSION.match(version) or not path.is_dir():
            raise ModelLoadError(f"no model version {version!r} in {self.directory}")
        return path


def _check_compatible(version: str, metadata: dict, path: Path) -> None:
    expected: dict[str, Mapping[str, object]] = {
        "library_versions": library_versions(),
        "features": feature_groups(),
    }
    for key, running in expected.items():
        saved = metadata.get(key)
        if key == "library_versions" and isinstance(saved, dict):
            saved = {name: saved.get(name) for name in running}  # only what this install has
        if saved != running:
            raise ModelLoadError(
                f"model {version} is incompatible: {key} in {path} is {saved}, the running code has "
                f"{running}; retrain with `chaos train`"
            )
    if not isinstance(metadata.get("vocabulary"), dict):
        raise ModelLoadError(f"model {version}: {path} is corrupt (no vocabulary)")


def _check_signed(version: str, metadata: dict, directory: Path) -> None:
    """Every file the metadata lists is there with the recorded sha256, and the required ones are listed."""
    files = metadata.get("files")
    if not isinstance(files, dict) or not all(name in files for name in REQUIRED_FILES):
        raise ModelLoadError(
            f"model {version}: {directory / METADATA_FILE} records no sha256 of {', '.join(REQUIRED_FILES)}; "
            "retrain with `chaos train`"
        )
    for name, expected in files.items():
        path = directory / name
        if Path(name).name != name or not path.is_file():
            raise ModelLoadError(f"model {version}: {path} is missing; retrain with `chaos train`")
        if _sha256(path) != expected:
            raise ModelLoadError(
                f"model {version}: {path} does not match the sha256 recorded in {METADATA_FILE} "
                "(changed after training); restore it or retrain with `chaos train`"
            )


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _version_key(version: str) -> tuple[str, int]:
    found = _VERSION.match(version)
    if found is None:
        raise ValueError(f"{version!r} is not a version name")
    stamp, suffix = found.groups()
    return stamp, int(suffix or 1)


def _write_json(path: Path, content: dict) -> None:
    path.write_text(json.dumps(content, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
