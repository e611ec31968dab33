"""Versioned model artifacts read from a model store (storage.py: a local directory or Google Cloud
Storage): `<version>/{model.joblib,scorer.json,report.html,metadata.json,manifest.json}`, a
`CHAMPION` pointer and a `history/` of promotions (publishing.py writes them).

A version's objects are created once and never overwritten; its signed manifest (signing.py) is
written last, so a version without one is a half-upload and is refused. Loading checks the
signature, that the manifest names this very version, that the version holds exactly the files it
lists with their sha256, and that its feature list and library versions are the running code's: a
pickle from another scikit-learn may load yet score differently.

`scorer.json` is the pipeline compiled when it is published (training/packaging.py; a pipeline that
has no exact compiled form is never published). Serving uses only that file, so a worker never imports
scikit-learn, pandas, scipy or joblib, and a serving install (no `chaos[train]`) lacks them; the
pickled pipeline is unpickled on demand, as the reference it is.
"""

import contextlib
import hashlib
import io
import json
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from functools import cached_property
from importlib import metadata as distributions
from pathlib import Path

from chaos.domain.as_of import checked_lag
from chaos.domain.features import BOOLEAN, CATEGORICAL, NUMERIC, SOCIO_ECONOMIC
from chaos.domain.model_store import REPORT_FILE, ChampionStatus, ModelLoadError, StoreUnavailable
from chaos.domain.scoring import ScoringModel
from chaos.infrastructure.config.settings import DEMO_PUBLIC_KEY
from chaos.infrastructure.models.champion_pointer import ChampionHistory, ChampionRead, Statement, judged
from chaos.infrastructure.models.compiled_logistic import CompiledLogistic
from chaos.infrastructure.models.signing import SignatureError, Verifier
from chaos.infrastructure.models.storage import (
    LocalStorage,
    ObjectMissing,
    ObjectRefused,
    ObjectStorage,
    StorageError,
)

MODEL_FILE = "model.joblib"
SCORER_FILE = "scorer.json"
METADATA_FILE = "metadata.json"
MANIFEST_FILE = "manifest.json"
REQUIRED_FILES = (MODEL_FILE, SCORER_FILE, METADATA_FILE)
CHAMPION_FILE = "CHAMPION"
_VERSION = re.compile(r"^(\d{8}T\d{6}Z)(?:-(\d+))?$")


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

    def __init__(self, version: str, scorer: CompiledLogistic, metadata: dict, pickled: bytes):
        self.version = version
        self.scorer = scorer
        self.intercept = scorer.intercept
        self.metadata = metadata
        self.vocabulary: dict[str, list[str]] = metadata["vocabulary"]
        self.publication_lag_days = checked_lag(metadata.get("as_of", {}).get("publication_lag_days", 0))
        self.pickled = pickled

    @cached_property
    def pipeline(self):
        """The fitted scikit-learn pipeline the scorer was compiled from (imports scikit-learn)."""
        import joblib  # chaos[train]

        try:
            return joblib.load(io.BytesIO(self.pickled))
        except Exception as error:  # unpickling can raise almost anything on a damaged file
            raise ModelLoadError(f"model {self.version}: {MODEL_FILE} is corrupt ({error!r})") from error

    def log_odds_one(self, features: Mapping[str, object]) -> float:
        return self.scorer.log_odds_one(features)

    def log_odds_many(self, rows: Sequence[Mapping[str, object]]) -> list[float]:
        return self.scorer.log_odds_many(rows)

    def contributions(self, features: Mapping[str, object]) -> dict[str, float]:
        return self.scorer.contributions(features)


class ArtifactReader:
    """The model store as serving reads it (the ModelStore port): verifies a version's signed
    manifest and files, loads it, follows the champion pointer, serves reports; it writes nothing.
    Without keys it trusts the published demo key (a fresh clone)."""

    def __init__(self, storage: ObjectStorage | Path | str, public_keys: Sequence[str] = (DEMO_PUBLIC_KEY,)):
        self.storage = LocalStorage(Path(storage)) if isinstance(storage, Path | str) else storage
        self.public_keys = tuple(public_keys)
        self._verified_metadata: dict[str, dict] = {}
        self._floor: Statement | None = None
        """The champion statement this process last followed: an older pointer is a replay."""
        self.location = self.storage.location
        self.verifier = Verifier(public_keys)
        self.chain = ChampionHistory(self.storage, self.verifier)

    def where(self, version: str, file: str = "") -> str:
        """The full name of a version (or of one of its files), for messages."""
        return self.storage.name(f"{version}/{file}")

    def champion_pointer(self) -> ChampionRead:
        """The pointer as read now, judged against the history: a publisher replaces it only if
        unchanged, and chains its statement to the one followed."""
        with self._reaching():
            pointer = self.storage.pointer(CHAMPION_FILE)
            return judged(pointer, self.chain.newest(), self._floor, self.verifier)

    def champion_status(self) -> ChampionStatus:
        """The champion followed (see ChampionStatus). An unchanged pointer costs one read."""
        floor = self._floor
        with self._reaching():
            pointer = self.storage.pointer(CHAMPION_FILE)
            if floor is not None and pointer.content == floor.content:
                return ChampionStatus(floor.version, floor.sequence)
            read = judged(pointer, self.chain.newest(), floor, self.verifier)
        self._floor = read.followed
        followed = read.followed
        return ChampionStatus(
            followed.version if followed else None, followed.sequence if followed else None, read.problem
        )

    def versions(self) -> list[str]:
        """Published versions (whole or not: loading says what is wrong), newest first."""
        with self._reaching():
            keys = [*self.storage.keys(), *self.storage.refused()]
        found = {key.split("/", 1)[0] for key in keys}
        return sorted((name for name in found if _VERSION.match(name)), key=_version_key, reverse=True)

    def champion(self) -> str | None:
        return self.champion_status().version

    def problems(self) -> list[str]:
        """Objects refused on their own: links and other non-files, and history entries outside the
        signed chain."""
        with self._reaching():
            refused = list(self.storage.refused().values())
        chain = [f"{event['object']}: {event['problem']}" for event in self.history() if "problem" in event]
        return refused + chain

    def history(self) -> list[dict]:
        """Every champion change, newest first, each checked against the signed chain."""
        with self._reaching():
            return self.chain.events()

    def metadata(self, version: str) -> dict:
        """The version's metadata, once its whole version is verified; verified once per process, as
        a version never changes once its manifest exists (`load` and `report` verify every time)."""
        known = self._verified_metadata.get(version)
        if known is None:
            known = _metadata(version, self.verified(version), self.where(version, METADATA_FILE))
            self._verified_metadata[version] = known
        return dict(known)

    def load(self, version: str | None = None) -> TrainedModel:
        """The given version, or the champion; raises ModelLoadError when it cannot be served."""
        if version is None:
            status = self.champion_status()
            version = status.version
            if version is None:
                why = status.problem or "run `chaos train --champion`"
                raise ModelLoadError(f"no champion model in {self.location}: {why}")
        files = self.verified(version)
        metadata = _metadata(version, files, self.where(version, METADATA_FILE))
        _check_compatible(version, metadata, self.where(version, METADATA_FILE))
        try:
            scorer = CompiledLogistic.from_json(json.loads(files[SCORER_FILE]))
        except (UnicodeDecodeError, ValueError) as error:
            raise ModelLoadError(
                f"model {version}: {self.where(version, SCORER_FILE)} is corrupt ({error})"
            ) from error
        return TrainedModel(version, scorer, metadata, files[MODEL_FILE])

    def report(self, version: str) -> bytes:
        """The version's HTML report, checked against its signed manifest."""
        files = self.verified(version)
        if REPORT_FILE not in files:
            raise ModelLoadError(f"model {version} has no {REPORT_FILE}")
        return files[REPORT_FILE]

    def verified(self, version: str) -> dict[str, bytes]:
        """Every file of the version, its manifest included, once the manifest is signed by a trusted
        key, names this version, lists exactly the files present with their sha256, and the running
        feature list."""
        if not _VERSION.match(version):
            raise ModelLoadError(f"no model version {version!r} in {self.location}")
        manifest_name = self.where(version, MANIFEST_FILE)
        with self._reaching():
            refused = self.storage.refused(f"{version}/")
            if refused:
                raise ModelLoadError(f"model {version}: {min(refused.values())}")
            present = {key.split("/", 1)[1] for key in self.storage.keys(f"{version}/")}
            if not present:
                raise ModelLoadError(f"no model version {version!r} in {self.location}")
            if MANIFEST_FILE not in present:
                raise ModelLoadError(
                    f"model {version}: {manifest_name} is missing (a half-uploaded version, or one saved "
                    "before manifests were signed), refused; retrain with `chaos train --champion`"
                )
            signed = self.storage.read(f"{version}/{MANIFEST_FILE}")
            try:
                manifest = self.verifier.verify(signed)
            except SignatureError as error:
                raise ModelLoadError(f"model {version}: {manifest_name} refused: {error}") from error
            if manifest.get("version") != version:
                raise ModelLoadError(
                    f"model {version}: {manifest_name} is signed for version {manifest.get('version')!r} "
                    "(moved or swapped), refused"
                )
            listed = manifest.get("files")
            if not isinstance(listed, dict) or not all(name in listed for name in REQUIRED_FILES):
                raise ModelLoadError(f"model {version}: {manifest_name} lists no {', '.join(REQUIRED_FILES)}")
            unlisted = sorted(present - set(listed) - {MANIFEST_FILE})
            if unlisted:
                raise ModelLoadError(
                    f"model {version}: {self.where(version, unlisted[0])} is not in its manifest, refused"
                )
            if manifest.get("features") != feature_groups():
                raise ModelLoadError(
                    f"model {version} was trained on another feature list ({manifest.get('features')}) than "
                    "the running code's; retrain with `chaos train`"
                )
            files = {MANIFEST_FILE: signed}
            for name, expected in listed.items():
                try:
                    files[name] = self.storage.read(f"{version}/{name}")
                except ObjectMissing as error:
                    raise ModelLoadError(
                        f"model {version}: {self.where(version, name)} is missing (a half-uploaded version), "
                        "refused"
                    ) from error
                if sha256_hex(files[name]) != expected:
                    raise ModelLoadError(
                        f"model {version}: {self.where(version, name)} does not match its signed manifest "
                        "(changed after publication), refused"
                    )
        return files

    @contextlib.contextmanager
    def _reaching(self) -> Iterator[None]:
        """Storage failures (no bucket, no permission, unreachable) as one-line ModelLoadErrors."""
        try:
            yield
        except (ObjectMissing, ObjectRefused) as error:
            raise ModelLoadError(f"model store {self.location}: {error}") from error
        except StorageError as error:
            raise StoreUnavailable(f"model store {self.location}: {error}") from error


def _metadata(version: str, files: dict[str, bytes], name: str) -> dict:
    try:
        metadata = json.loads(files[METADATA_FILE])
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ModelLoadError(f"model {version}: {name} is corrupt ({error})") from error
    if not isinstance(metadata, dict):
        raise ModelLoadError(f"model {version}: {name} is corrupt (not a JSON object)")
    return metadata


def _check_compatible(version: str, metadata: dict, name: str) -> None:
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
                f"model {version} is incompatible: {key} in {name} is {saved}, the running code has "
                f"{running}; retrain with `chaos train`"
            )
    if not isinstance(metadata.get("vocabulary"), dict):
        raise ModelLoadError(f"model {version}: {name} is corrupt (no vocabulary)")


def sha256_hex(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _version_key(version: str) -> tuple[str, int]:
    found = _VERSION.match(version)
    if found is None:
        raise ValueError(f"{version!r} is not a version name")
    stamp, suffix = found.groups()
    return stamp, int(suffix or 1)


def json_bytes(content: dict) -> bytes:
    return (json.dumps(content, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
