"""Real model artifacts for web tests, fitted in a blink on a few synthetic rows (no database)."""

import hashlib
import json
from pathlib import Path

from chaos.domain.features import CATEGORICAL, CUSTOMER_FEATURES, SOCIO_ECONOMIC
from chaos.infrastructure.models.artifacts import ArtifactStore, feature_groups, library_versions
from chaos.infrastructure.models.frame import feature_frame
from chaos.infrastructure.models.pipelines import logistic
from tests.fakes import VOCABULARY


def save_model(directory: Path, champion: bool, vocabulary: dict[str, list[str]] = VOCABULARY) -> str:
    rows = []
    for i in range(40):
        row = {name: None for name in CUSTOMER_FEATURES}
        row.update({name: labels[i % len(labels)] for name, labels in vocabulary.items()})
        row.update(has_default=i % 3 == 0, has_housing_loan=i % 2 == 0, has_perso_loan=False)
        row.update(age=20 + i, balance=100 * i, nb_contact=1 + i % 4, nb_day_last_contact=-1)
        row.update(nb_contact_last_campaign=0, **{name: float(i % 5) for name in SOCIO_ECONOMIC})
        rows.append(row)
    pipeline = logistic().fit(feature_frame(rows), [i % 2 for i in range(40)])
    metadata = {
        "trained_at": "2024-01-02T03:04:05+00:00",
        "model_family": "logistic",
        "library_versions": library_versions(),
        "features": feature_groups(),
        "vocabulary": {name: list(vocabulary[name]) for name in CATEGORICAL},
        "excluded": {},
        "data": {"first_date": "2008-05-05", "last_date": "2010-11-30", "rows": 40},
        "metrics": {"roc_auc": 0.71},
    }
    return ArtifactStore(directory).save(pipeline, metadata, champion=champion, files=_report)


def _report(version: str) -> dict[str, bytes]:
    """A stand-in for the HTML report `chaos train` draws (tests/integration renders the real one)."""
    return {"report.html": f"<!DOCTYPE html><title>report</title><h1>Model {version}</h1>".encode()}


def resign(directory: Path, version: str, file: str) -> None:
    """Record `file`'s current sha256 in the version's metadata, as if it had been saved so: to reach
    the checks that come after the signature's."""
    path = directory / version / "metadata.json"
    metadata = json.loads(path.read_text())
    metadata["files"][file] = hashlib.sha256((directory / version / file).read_bytes()).hexdigest()
    path.write_text(json.dumps(metadata))
