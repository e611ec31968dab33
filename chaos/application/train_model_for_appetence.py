"""Training, the use case behind `chaos train` and `chaos retrain`: fit the appetence model on
`marketing` joined to `socio_eco`, evaluate, gate, save.

The recipe is judged first: fitted on the older contacts (optionally only those of a date window),
it scores the holdout, always the latest 20% of all contacts (holdout.HOLDOUT_SHARE), as served:
point-in-time indicators, calibrated day by day to the outcomes before each day. With
`--champion`, the promotion gate compares it with the champion's recipe fitted on the same older
contacts, on the same holdout (promotion.py); `--force` overrides, and says so in the metadata. The
version published is then refit on every contact of the window, the newest included: the reported
figures stay out-of-sample, and the metadata states the evaluation and the fit windows apart.
`duration_contact` is never a feature (features.EXCLUDED). Every version is published with its HTML
report in a signed manifest.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

import numpy as np
import sqlalchemy as sa

from chaos.domain.calibration import CalibrationPolicy
from chaos.domain.features import CATEGORICAL, EXCLUDED
from chaos.domain.freshness import too_old
from chaos.domain.holdout import HOLDOUT_SHARE
from chaos.infrastructure.config import Settings
from chaos.infrastructure.models.artifacts import (
    REPORT_FILE,
    ArtifactStore,
    ModelLoadError,
    feature_groups,
    library_versions,
)
from chaos.infrastructure.models.backtest import walk_forward
from chaos.infrastructure.models.compiled_logistic import FAMILY
from chaos.infrastructure.models.configured import configured_store
from chaos.infrastructure.models.evaluation import SENSITIVITY_LAGS, Evaluation, evaluate, lag_sensitivity
from chaos.infrastructure.models.fingerprint import fingerprint
from chaos.infrastructure.models.pipelines import logistic
from chaos.infrastructure.models.promotion import Comparison, compare
from chaos.infrastructure.models.report import render_report
from chaos.infrastructure.models.training_data import TrainingData, TrainingDataError, load_training_data

AS_OF_RULE = "point-in-time: the latest complete socio_eco row dated before the contact day minus the lag"


class TrainingError(Exception):
    """Training cannot produce a meaningful model from the data at hand."""


class PromotionRefused(Exception):
    """The candidate was saved but is worse than the champion, which stays."""

    def __init__(self, version: str, comparison: Comparison):
        self.version = version
        self.comparison = comparison
        super().__init__(
            f"model {version} not promoted: {comparison.reason}; champion {comparison.champion} unchanged "
            "(--force to promote it anyway)"
        )


@dataclass(frozen=True)
class TrainingWindow:
    """Training contacts dated `since` <= date < `until` (either open); the holdout never changes."""

    since: date | None = None
    until: date | None = None

    def mask(self, dates: np.ndarray) -> np.ndarray:
        keep = np.ones(len(dates), dtype=bool)
        if self.since:
            keep &= dates >= np.datetime64(self.since)
        if self.until:
            keep &= dates < np.datetime64(self.until)
        return keep

    def as_dict(self) -> dict:
        return {"since": self.since and str(self.since), "until": self.until and str(self.until)}


def train(
    settings: Settings,
    champion: bool,
    engine: sa.Engine,
    progress: Callable[[str], None] = lambda stage: None,
    window: TrainingWindow = TrainingWindow(),
    force: bool = False,
    backtest: bool = False,
) -> str:
    """Train on the database behind `engine`, save under settings.model.directory, return the version.

    Raises PromotionRefused (after saving the candidate) when `champion` is asked and the gate refuses."""
    data = read_training_data(settings, engine, progress)
    return train_on(data, settings, champion, progress, window, force, backtest)


def read_training_data(
    settings: Settings, engine: sa.Engine, progress: Callable[[str], None]
) -> TrainingData:
    try:
        progress("reading marketing and socio_eco")
        return load_training_data(engine, settings.socio_eco.publication_lag_days)
    except TrainingDataError as error:
        raise TrainingError(str(error)) from error


def train_on(
    data: TrainingData,
    settings: Settings,
    champion: bool,
    progress: Callable[[str], None] = lambda stage: None,
    window: TrainingWindow = TrainingWindow(),
    force: bool = False,
    backtest: bool = False,
) -> str:
    older, holdout = data.split(HOLDOUT_SHARE)
    training, holdout = older.rows(window.mask(older.dates) & older.labelled), holdout.rows(holdout.labelled)
    for name, part in (("training", training), ("holdout", holdout)):
        if len(set(part.target.tolist())) < 2:
            raise TrainingError(
                f"the {name} part ({len(part.target)} contacts) lacks subscribers or non-subscribers"
            )
    progress(
        f"fitting {FAMILY} on {len(training.target)} contacts, holding out the latest {len(holdout.target)}"
    )
    judged = logistic().fit(training.features, training.target)
    progress("evaluating on the holdout as served (calibrated day by day)")
    policy = settings.calibration.policy()
    evaluation = _evaluate(judged, data, policy, settings.socio_eco.max_age_days)
    progress(
        "measuring the served figures at reporting lags of " + ", ".join(map(str, SENSITIVITY_LAGS)) + " days"
    )
    sensitivity = lag_sensitivity(
        evaluation.log_odds, data.target, data.dates, data.usable, data.resolved, policy
    )
    store = configured_store(settings.model)
    comparison = None
    pointer = store.champion_pointer()
    current = pointer.text
    if champion and current:
        progress(f"comparing with the champion {current}")
        comparison = _compare_with_champion(store, current, data, older, evaluation, policy, settings)
    promote = champion and (comparison is None or comparison.promote or force)
    fit = data.rows(window.mask(data.dates) & data.labelled)
    progress(
        f"refitting on every contact of the window with a known outcome, the newest included: "
        f"{len(fit.target)} contacts"
    )
    pipeline = logistic().fit(fit.features, fit.target)
    backtested = None
    if backtest:
        backtested = walk_forward(data, progress, policy)
    metadata = {
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "model_family": FAMILY,
        "library_versions": library_versions(),
        "features": feature_groups(),
        "vocabulary": {
            name: sorted(training.features[name].dropna().unique().tolist()) for name in CATEGORICAL
        },
        "excluded": dict(EXCLUDED),
        "as_of": {"rule": AS_OF_RULE, "publication_lag_days": settings.socio_eco.publication_lag_days},
        "data": {
            "first_date": str(data.dates[0]),
            "last_date": str(data.dates[-1]),
            "holdout_first_date": str(holdout.dates[0]),
            "rows": len(data.target),
            "rows_train": len(training.target),
            "rows_holdout": len(holdout.target),
            "rows_without_socio_eco": data.left_out,
            "rows_pending": data.pending,
            "subscription_rate": float(data.target[data.resolved].mean()),
            "fingerprint": fingerprint(data),
        },
        "training_window": window.as_dict(),
        "evaluation": {
            "figures": "metrics, by_month, by_decile: fit on `trained_on`, scored on `holdout`",
            "trained_on": _span(training),
            "holdout": _span(holdout),
        },
        "fit": {**_span(fit), "cutoff": window.until and str(window.until)},
        "protocol": {
            "holdout_share": HOLDOUT_SHARE,
            "scored_as": "served: point-in-time indicators, intercept shift of each day",
            "calibration": policy.as_dict(),
        },
        **evaluation.summary(),
        "sensitivity": {"reporting_lag_days": sensitivity},
        "backtest": backtested,
        "promotion": _promotion(champion, current, comparison, promote, force),
    }
    progress("writing the report and saving the artifact")
    version = store.save(
        pipeline,
        metadata,
        champion=promote,
        files=lambda version: {
            REPORT_FILE: render_report({**metadata, "version": version}, evaluation, pipeline)
        },
        read=pointer,
    )
    if comparison is not None and not promote:
        raise PromotionRefused(version, comparison)
    return version


def _evaluate(pipeline, data: TrainingData, policy: CalibrationPolicy, max_age_days: int) -> Evaluation:
    """The holdout as served with `policy`; pending contacts are scored but never judged, and the
    contacts whose indicators the service would refuse as too old are counted apart."""
    log_odds = pipeline.decision_function(data.features)
    answered = ~too_old(data.indicators_age_days, max_age_days)
    return evaluate(log_odds, data.target, data.dates, data.usable, data.resolved, policy, answered)


def _compare_with_champion(
    store: ArtifactStore,
    version: str,
    data: TrainingData,
    older: TrainingData,
    candidate: Evaluation,
    policy: CalibrationPolicy,
    settings: Settings,
) -> Comparison:
    """The champion's recipe (its family on its training window) fitted on the same older contacts
    and scored on the same holdout: its published model was refit on the holdout, so scoring that
    model there would be in-sample and flatter it."""
    try:
        recorded = store.metadata(version).get("training_window") or {}
    except ModelLoadError as error:
        raise TrainingError(f"cannot compare with the champion: {error}") from error
    since, until = (recorded.get(key) for key in ("since", "until"))
    recipe = TrainingWindow(since and date.fromisoformat(since), until and date.fromisoformat(until))
    trained = older.rows(recipe.mask(older.dates) & older.labelled)
    pipeline = logistic().fit(trained.features, trained.target)
    return compare(candidate, _evaluate(pipeline, data, policy, settings.socio_eco.max_age_days), version)


def _span(part: TrainingData) -> dict:
    return {"first_date": str(part.dates[0]), "last_date": str(part.dates[-1]), "rows": len(part.target)}


def _promotion(
    requested: bool, champion: str | None, comparison: Comparison | None, promote: bool, force: bool
) -> dict:
    if not requested:
        decision = "not requested"
    elif comparison is None:
        decision = "first champion"
    elif comparison.promote:
        decision = "promoted"
    else:
        decision = "forced" if force and promote else "refused"
    return {
        "requested": requested,
        "decision": decision,
        "previous_champion": champion,
        "comparison": comparison.as_dict() if comparison else None,
    }
