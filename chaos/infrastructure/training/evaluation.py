"""The evaluation protocol: the latest contacts scored as served, and the figures people read.

As served means: every contact's log-odds, shifted by the calibration of its own day computed from
the resolved outcomes reported by that day (calibration.calibrate, the very function the job that
stores serving's calibrations calls). Pending contacts are scored but never judged: no label. The
figures say whether customers are ranked well (ROC AUC, the within-month AUC that the drifting
level cannot inflate, PR AUC) and whether the probability can be read as one (Brier and its skill
against the holdout's constant rate, log loss, observed vs predicted by month and by decile).
"""

from dataclasses import dataclass, replace

import numpy as np
from sklearn.metrics import average_precision_score, brier_score_loss, log_loss, roc_auc_score

from chaos.domain.calibration import (
    DEFAULT_POLICY,
    Calibration,
    CalibrationPolicy,
    calibrate_days,
    resolved_outcomes,
    sigmoids,
)
from chaos.domain.holdout import HOLDOUT_SHARE, holdout_start
from chaos.domain.served_figures import calibration_slope, within_group_auc

DECILES = 10
"""The latest fifth of all contacts by date: always the same rows, whatever training leaves out,
so that the figures of every model trained on the same data can be compared."""


@dataclass(frozen=True)
class Served:
    """Probabilities of contacts `start:` as served, with the calibration of each of their days."""

    probability: np.ndarray
    calibrations: dict[np.datetime64, Calibration]


def serve(
    dates: np.ndarray,
    log_odds: np.ndarray,
    outcomes: np.ndarray,
    resolved: np.ndarray,
    start: int,
    policy: CalibrationPolicy = DEFAULT_POLICY,
    late_days: int = 0,
) -> Served:
    """Score contacts from index `start` on, day by day, each day calibrated on earlier outcomes.

    `dates` are sorted; `log_odds`, `outcomes` and `resolved` cover every contact, so that the first
    days scored are calibrated on the contacts just before them, as serving would have been.
    `late_days`: the outcomes reach the service that many days after the policy's lag says."""
    known = replace(resolved_outcomes(dates, log_odds, outcomes, resolved), late_days=late_days)
    by_day = calibrate_days(np.unique(dates[start:]).astype(object).tolist(), known, policy)
    calibrations: dict[np.datetime64, Calibration] = {np.datetime64(day, "D"): c for day, c in by_day.items()}
    scored = dates[start:]
    offset, slope, shift = (
        np.array([getattr(calibrations[day], name) for day in scored])
        for name in ("offset", "slope", "shift")
    )
    return Served(sigmoids(offset + slope * (log_odds[start:] + shift)), calibrations)


@dataclass(frozen=True)
class Evaluation:
    """A model's log-odds for every contact, and the holdout scored as served."""

    log_odds: np.ndarray
    target: np.ndarray
    dates: np.ndarray
    served: Served
    metrics: dict[str, float | None]
    coverage: dict
    """How many holdout contacts the service answers within its freshness limit, and their figures."""

    @property
    def probability(self) -> np.ndarray:
        return self.served.probability

    def summary(self) -> dict:
        """What the metadata records: the figures, and the level by month and by decile."""
        return {
            "metrics": self.metrics,
            "by_month": by_month(self.target, self.probability, self.dates),
            "by_decile": by_decile(self.target, self.probability),
            "coverage": self.coverage,
        }


def evaluate(
    log_odds: np.ndarray,
    target: np.ndarray,
    dates: np.ndarray,
    scorable: np.ndarray,
    resolved: np.ndarray,
    policy: CalibrationPolicy = DEFAULT_POLICY,
    answered: np.ndarray | None = None,
    late_days: int = 0,
) -> Evaluation:
    """The holdout of these contacts (all of them, oldest first) scored as served; only the
    `scorable` ones (those the as-of rule finds indicators for, as serving refuses the others)
    whose outcome is `resolved` count. `answered` marks the contacts the service would score
    within its freshness limit: the figures on those come beside the figures on all."""
    start = holdout_start(len(target), HOLDOUT_SHARE)
    keep = scorable[start:] & resolved[start:]
    served = serve(dates, log_odds, target, resolved, start, policy, late_days)
    served = Served(served.probability[keep], served.calibrations)
    target, dates = target[start:][keep], dates[start:][keep]
    metrics = holdout_metrics(target, served.probability, dates)
    inside = np.ones(len(target), dtype=bool) if answered is None else answered[start:][keep]
    coverage = {
        "judged": len(target),
        "refused_as_stale": int((~inside).sum()),
        "metrics_answered": holdout_metrics(target[inside], served.probability[inside], dates[inside])
        if len(np.unique(target[inside])) == 2
        else None,  # the service would answer too few of them to judge
    }
    return Evaluation(log_odds, target, dates, served, metrics, coverage)


def holdout_metrics(
    target: np.ndarray, probability: np.ndarray, dates: np.ndarray
) -> dict[str, float | None]:
    """Ranking and calibration of predicted probabilities, in one flat dict (the metadata's `metrics`);
    the calibration slope is None (null) when no finite fit exists."""
    if len(np.unique(target)) < 2:
        raise ValueError("the holdout holds a single class: metrics need subscribers and non-subscribers")
    rate = float(target.mean())
    brier = float(brier_score_loss(target, probability))
    constant = rate * (1 - rate)
    return {
        "roc_auc": float(roc_auc_score(target, probability)),
        "within_month_auc": within_month_auc(target, probability, dates),
        "pr_auc": float(average_precision_score(target, probability)),
        "brier": brier,
        "brier_constant": constant,
        "brier_skill": 1 - brier / constant,
        "log_loss": float(log_loss(target, probability, labels=[False, True])),
        "observed_rate": rate,
        "mean_prediction": float(probability.mean()),
        "calibration_slope": calibration_slope(target, probability),
    }


def within_month_auc(target: np.ndarray, probability: np.ndarray, dates: np.ndarray) -> float:
    """The chance that a subscriber is scored above a non-subscriber contacted the same month.

    A shift of the level from month to month, which pooled AUC rewards, cannot move it."""
    auc = within_group_auc(target, probability, dates.astype("datetime64[M]"))
    return float("nan") if auc is None else auc


def by_month(target: np.ndarray, probability: np.ndarray, dates: np.ndarray) -> list[dict]:
    """Observed vs mean predicted subscription rate for each month."""
    months = dates.astype("datetime64[M]")
    return [
        _group(str(month), target[months == month], probability[months == month])
        for month in np.unique(months)
    ]


def by_decile(target: np.ndarray, probability: np.ndarray) -> list[dict]:
    """Observed vs mean predicted rate in each tenth of the contacts ranked by score (lowest first)."""
    order = np.argsort(probability, kind="stable")
    return [
        _group(str(rank + 1), target[part], probability[part])
        for rank, part in enumerate(np.array_split(order, DECILES))
    ]


def _group(name: str, target: np.ndarray, probability: np.ndarray) -> dict:
    return {
        "group": name,
        "contacts": len(target),
        "observed": float(target.mean()),
        "predicted": float(probability.mean()),
    }


SENSITIVITY_LAGS = (0, 3, 7, 14, 30)
"""Reporting delays (days) the served figures are also measured at: what a slower report would cost."""


def lag_sensitivity(
    log_odds: np.ndarray,
    target: np.ndarray,
    dates: np.ndarray,
    scorable: np.ndarray,
    resolved: np.ndarray,
    policy: CalibrationPolicy,
) -> list[dict]:
    """The holdout's figures as `policy` serves them if the outcomes arrived each of SENSITIVITY_LAGS
    days later than its reporting lag says (its windows holding what is known by each day, as the
    service's do), the age limit raised where the delay reaches it (else every day would be stale),
    and how many days' calibrations were stale."""
    rows = []
    for lag in SENSITIVITY_LAGS:
        lagged = replace(policy, max_age_days=max(policy.max_age_days, policy.reporting_lag_days + lag + 1))
        evaluation = evaluate(log_odds, target, dates, scorable, resolved, lagged, late_days=lag)
        metrics = evaluation.metrics
        rows.append(
            {"reporting_lag_days": lag}
            | {name: metrics[name] for name in ("roc_auc", "within_month_auc", "brier", "calibration_slope")}
            | {"stale_days": sum(found.stale for found in evaluation.served.calibrations.values())}
        )
    return rows
