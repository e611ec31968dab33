"""`chaos train`: fit the appetence model on `marketing` joined to `socio_eco`, evaluate, save.

The holdout is the latest 20% of contacts: the model is judged on the future of the data it
learnt from, as it will be used. `duration_contact` is never a feature (features.EXCLUDED).
The metrics are on a model fitted without the holdout; that same model is the saved artifact.
"""

import argparse
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime

import sqlalchemy as sa

from chaos.application.migrated_database import migrated_engine
from chaos.domain.features import CATEGORICAL, EXCLUDED
from chaos.infrastructure.config import Settings, load_settings
from chaos.infrastructure.models.artifacts import ArtifactStore, feature_groups, library_versions
from chaos.infrastructure.models.compiled_logistic import FAMILY
from chaos.infrastructure.models.evaluation import holdout_metrics
from chaos.infrastructure.models.pipelines import logistic
from chaos.infrastructure.models.training_data import TrainingData, TrainingDataError, load_training_data

HOLDOUT_SHARE = 0.2
AS_OF_RULE = "point-in-time: the latest complete socio_eco row dated before the contact day minus the lag"


class TrainingError(Exception):
    """Training cannot produce a meaningful model from the data at hand."""


def train(
    settings: Settings,
    champion: bool,
    engine: sa.Engine,
    progress: Callable[[str], None] = lambda stage: None,
) -> str:
    """Train on the database behind `engine`, save under settings.model.directory, return the version."""
    try:
        progress("reading marketing and socio_eco")
        data = load_training_data(engine, settings.socio_eco.publication_lag_days)
    except TrainingDataError as error:
        raise TrainingError(str(error)) from error
    older, holdout = (part.with_indicators() for part in data.split(HOLDOUT_SHARE))
    for name, part in (("training", older), ("holdout", holdout)):
        if len(set(part.target.tolist())) < 2:
            raise TrainingError(
                f"the {name} part ({len(part.target)} contacts) lacks subscribers or non-subscribers"
            )
    progress(
        f"fitting {FAMILY} on {len(older.target)} contacts, holding out the latest {len(holdout.target)}"
    )
    pipeline = logistic().fit(older.features, older.target)
    progress("evaluating on the holdout")
    metrics = holdout_metrics(holdout.target, pipeline.predict_proba(holdout.features)[:, 1])
    progress("saving the artifact")
    metadata = _metadata(data, older, holdout, metrics, settings.socio_eco.publication_lag_days)
    return ArtifactStore(settings.model.directory).save(pipeline, metadata, champion=champion)


def _metadata(
    data: TrainingData, older: TrainingData, holdout: TrainingData, metrics: dict, lag_days: int
) -> dict:
    return {
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "model_family": FAMILY,
        "library_versions": library_versions(),
        "features": feature_groups(),
        "vocabulary": {name: sorted(older.features[name].dropna().unique().tolist()) for name in CATEGORICAL},
        "excluded": dict(EXCLUDED),
        "as_of": {"rule": AS_OF_RULE, "publication_lag_days": lag_days},
        "data": {
            "first_date": str(data.dates[0]),
            "last_date": str(data.dates[-1]),
            "holdout_first_date": str(holdout.dates[0]),
            "rows": len(data.target),
            "rows_train": len(older.target),
            "rows_holdout": len(holdout.target),
            "rows_without_socio_eco": data.left_out,
            "subscription_rate": float(data.target.mean()),
        },
        "metrics": metrics,
    }


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "train",
        help="train the appetence model from the database and save a versioned artifact",
        description="Reads marketing joined to socio_eco (point-in-time as-of rule), holds out the latest "
        f"{HOLDOUT_SHARE:.0%} of contacts for evaluation, leaves out contacts dated before any usable "
        "indicators, and saves the pipeline with its metadata "
        "under model.directory. duration_contact is excluded (known only after the call).",
    )
    parser.add_argument("--champion", action="store_true", help="mark the new model as the one to serve")
    parser.add_argument(
        "--family",
        choices=[FAMILY],
        default=FAMILY,
        help="model family: %(default)s, the one served by its exact compiled form",
    )
    parser.set_defaults(handler=_train)


def _train(args: argparse.Namespace) -> int:
    settings = load_settings()
    started = time.monotonic()

    def progress(stage: str) -> None:
        print(f"[{time.monotonic() - started:6.1f}s] {stage}", file=sys.stderr)

    try:
        with migrated_engine(settings) as engine:
            version = train(settings, args.champion, engine=engine, progress=progress)
    except TrainingError as error:
        print(f"chaos train: {error}", file=sys.stderr)
        return 1
    store = ArtifactStore(settings.model.directory)
    print(_report(version, store.metadata(version), store.directory, args.champion))
    return 0


def _report(version: str, metadata: dict, directory, champion: bool) -> str:
    data, metrics = metadata["data"], metadata["metrics"]
    return "\n".join(
        [
            f"model {version} ({metadata['model_family']}) saved in {directory / version}"
            + (" and marked champion" if champion else ""),
            f"  data {data['first_date']} .. {data['last_date']}: {data['rows_train']} training contacts, "
            f"{data['rows_holdout']} held out from {data['holdout_first_date']}",
            f"  left out {data['rows_without_socio_eco']} contacts without point-in-time indicators "
            f"(publication lag {metadata['as_of']['publication_lag_days']} days)",
            "  holdout: " + ", ".join(f"{name} {value:.4f}" for name, value in metrics.items()),
            "  excluded: " + ", ".join(metadata["excluded"]),
        ]
    )
