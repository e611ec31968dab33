"""The trainer behind `chaos train` and `chaos retrain`: the logistic family fitted with scikit-learn
on `marketing` joined to `socio_eco`, judged, compared and packaged (the domain's ModelTrainer port).

The recipe is judged first: fitted on the older contacts (optionally only those of a date window),
it scores the holdout, always the latest 20% of all contacts (holdout.HOLDOUT_SHARE), as served:
point-in-time indicators, calibrated day by day to the outcomes before each day. Asked to, it
compares it with the champion's recipe fitted on the same older contacts, on the same holdout
(promotion.py). The version then packaged is refit on every contact of the window, the newest
included: the reported figures stay out-of-sample, and the metadata states the evaluation and the
fit windows apart. The holdout's ROC AUC and Brier come with 95% intervals by resampling its months,
and apart, the figures of its steady months (uncertainty.py). `duration_contact` is never a feature
(features.EXCLUDED).
"""

from collections.abc import Callable
from datetime import UTC, datetime

import sqlalchemy as sa

from chaos.domain.calibration import CalibrationPolicy
from chaos.domain.features import CATEGORICAL, EXCLUDED
from chaos.domain.freshness import too_old
from chaos.domain.holdout import HOLDOUT_SHARE
from chaos.domain.training import Candidate, TrainingError, TrainingWindow
from chaos.infrastructure.models.artifacts import feature_groups, library_versions
from chaos.infrastructure.models.compiled_logistic import FAMILY
from chaos.infrastructure.training.backtest import walk_forward
from chaos.infrastructure.training.evaluation import SENSITIVITY_LAGS, Evaluation, evaluate, lag_sensitivity
from chaos.infrastructure.training.fingerprint import fingerprint
from chaos.infrastructure.training.packaging import packaged
from chaos.infrastructure.training.pipelines import logistic
from chaos.infrastructure.training.promotion import compare
from chaos.infrastructure.training.report import render_report
from chaos.infrastructure.training.training_data import TrainingData, TrainingDataError, load_training_data
from chaos.infrastructure.training.uncertainty import uncertainty_figures

AS_OF_RULE = "point-in-time: the latest complete socio_eco row dated before the contact day minus the lag"


def read_training_data(
    engine: sa.Engine, publication_lag_days: int, progress: Callable[[str], None]
) -> TrainingData:
    try:
        progress("reading marketing and socio_eco")
        return load_training_data(engine, publication_lag_days)
    except TrainingDataError as error:
        raise TrainingError(str(error)) from error


class LogisticTrainer:
    """Trains on `data` read once; `policy` calibrates as served, `max_age_days` is serving's
    freshness limit, `publication_lag_days` the as-of rule's lag the data was read with."""

    def __init__(
        self, data: TrainingData, policy: CalibrationPolicy, max_age_days: int, publication_lag_days: int
    ):
        self.data = data
        self.policy = policy
        self.max_age_days = max_age_days
        self.publication_lag_days = publication_lag_days

    def fingerprint(self) -> str:
        return fingerprint(self.data)

    def backtest(self, progress: Callable[[str], None]) -> dict:
        return walk_forward(self.data, progress)

    def candidate(
        self,
        window: TrainingWindow,
        champion: tuple[str, TrainingWindow] | None,
        backtest: bool,
        progress: Callable[[str], None],
    ) -> Candidate:
        data = self.data
        older, holdout = data.split(HOLDOUT_SHARE)
        training, holdout = (
            older.rows(window.mask(older.dates) & older.labelled),
            holdout.rows(holdout.labelled),
        )
        for name, part in (("training", training), ("holdout", holdout)):
            if len(set(part.target.tolist())) < 2:
                raise TrainingError(
                    f"the {name} part ({len(part.target)} contacts) lacks subscribers or non-subscribers"
                )
        progress(
            f"fitting {FAMILY} on {len(training.target)} contacts, "
            f"holding out the latest {len(holdout.target)}"
        )
        judged = logistic().fit(training.features, training.target)
        progress("evaluating on the holdout as served (calibrated day by day)")
        evaluation = self._evaluate(judged)
        progress(
            "measuring the served figures at reporting lags of "
            + ", ".join(map(str, SENSITIVITY_LAGS))
            + " days"
        )
        sensitivity = lag_sensitivity(
            evaluation.log_odds, data.target, data.dates, data.usable, data.resolved, self.policy
        )
        verdict = None
        if champion is not None:
            version, recipe = champion
            progress(f"comparing with the champion {version}")
            verdict = self._compare_with_champion(version, recipe, older, evaluation)
        fit = data.rows(window.mask(data.dates) & data.labelled)
        progress(
            f"refitting on every contact of the window with a known outcome, the newest included: "
            f"{len(fit.target)} contacts"
        )
        pipeline = logistic().fit(fit.features, fit.target)
        backtested = walk_forward(data, progress, self.policy) if backtest else None
        metadata = {
            "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "model_family": FAMILY,
            "library_versions": library_versions(),
            "features": feature_groups(),
            "vocabulary": {
                name: sorted(training.features[name].dropna().unique().tolist()) for name in CATEGORICAL
            },
            "excluded": dict(EXCLUDED),
            "as_of": {"rule": AS_OF_RULE, "publication_lag_days": self.publication_lag_days},
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
                "calibration": self.policy.as_dict(),
            },
            **evaluation.summary(),
            **uncertainty_figures(evaluation.target, evaluation.probability, evaluation.dates),
            "sensitivity": {"reporting_lag_days": sensitivity},
            "backtest": backtested,
        }
        return Candidate(
            packaged(pipeline),
            metadata,
            verdict,
            lambda published: render_report(published, evaluation, pipeline),
        )

    def _evaluate(self, pipeline) -> Evaluation:
        """The holdout as served; pending contacts are scored but never judged, and the contacts
        whose indicators the service would refuse as too old are counted apart."""
        data = self.data
        log_odds = pipeline.decision_function(data.features)
        answered = ~too_old(data.indicators_age_days, self.max_age_days)
        return evaluate(log_odds, data.target, data.dates, data.usable, data.resolved, self.policy, answered)

    def _compare_with_champion(
        self, version: str, recipe: TrainingWindow, older: TrainingData, candidate: Evaluation
    ):
        """The champion's recipe (its family on its training window) fitted on the same older
        contacts and scored on the same holdout: its published model was refit on the holdout, so
        scoring that model there would be in-sample and flatter it."""
        trained = older.rows(recipe.mask(older.dates) & older.labelled)
        pipeline = logistic().fit(trained.features, trained.target)
        return compare(candidate, self._evaluate(pipeline), version)


def _span(part: TrainingData) -> dict:
    return {"first_date": str(part.dates[0]), "last_date": str(part.dates[-1]), "rows": len(part.target)}
