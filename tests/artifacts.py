"""Real model artifacts for web tests, fitted in a blink on a few synthetic rows (no database)."""

import hashlib
import json
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from chaos.domain.features import CATEGORICAL, CUSTOMER_FEATURES, SOCIO_ECONOMIC
from chaos.infrastructure.models.artifacts import feature_groups, library_versions
from chaos.infrastructure.models.publishing import ArtifactPublisher
from chaos.infrastructure.models.signing import demo_private_key, public_text, sign
from chaos.infrastructure.training.frame import feature_frame
from chaos.infrastructure.training.packaging import packaged
from chaos.infrastructure.training.pipelines import logistic
from harness.publisher import PUBLISHER
from tests.fakes import VOCABULARY


def save_model(
    directory: Path,
    champion: bool,
    vocabulary: dict[str, list[str]] = VOCABULARY,
    store: ArtifactPublisher | None = None,
) -> str:
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
    return (store or ArtifactPublisher(directory)).publish(
        packaged(pipeline), metadata, champion=champion, files=_report
    )


def published_by_publisher(directory: Path) -> ArtifactPublisher:
    """A store signed by harness PUBLISHER's key and trusting only it: what a configuration on an
    external database, where the demo signing key is refused, can serve."""
    return ArtifactPublisher(directory, [public_text(PUBLISHER)], PUBLISHER)


def _report(version: str) -> dict[str, bytes]:
    """A stand-in for the HTML report `chaos train` draws (tests/integration renders the real one)."""
    return {"report.html": f"<!DOCTYPE html><title>report</title><h1>Model {version}</h1>".encode()}


def resign(
    directory: Path, version: str, file: str, key: Ed25519PrivateKey | None = None, **changes: object
) -> None:
    """Record `file`'s current sha256 in the version's manifest (with `changes`) and sign it again
    with `key` (the demo key, which the default store trusts): as if it had been published so, to
    reach the checks that come after the signature's, or as an attacker holding another key would."""
    path = directory / version / "manifest.json"
    manifest = json.loads(path.read_text())["manifest"] | changes
    manifest["files"][file] = hashlib.sha256((directory / version / file).read_bytes()).hexdigest()
    path.write_bytes(sign(manifest, key or demo_private_key()))


def multiply_a_weight(path: Path, factor: float) -> None:
    """Scale the balance's weight in a scorer.json: what an attacker would do to skew every score."""
    scorer = json.loads(path.read_text())
    scorer["numbers"] = [
        term | {"coef": term["coef"] * factor} if term["name"] == "balance" else term
        for term in scorer["numbers"]
    ]
    path.write_text(json.dumps(scorer))
