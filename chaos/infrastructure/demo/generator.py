"""Deterministic synthetic contacts and socio-economic months shaped like the real export.

Marginals, label sets and missing rates come from `facts`; subscription follows a logistic model
of a few features and indicators (`EFFECTS`, a demo design, not a measurement) so that a trained
model has something real to learn. The 30 demo months end with the current month, so a contact
dated today can be scored; contacts get their indicators through the domain's as-of rule.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
from scipy.optimize import brentq
from scipy.special import expit

from chaos.domain.as_of import pick_indices
from chaos.domain.outcome import Outcome
from chaos.domain.socio_eco import INDICATORS, SocioEcoIndicators
from chaos.infrastructure.demo.facts import (
    DEFAULT_SEED,
    LABEL_SHARES,
    MISSING_RATES,
    MONTHLY_CONTACT_SHARES,
    OUTCOME_SHARES,
    QUANTILE_LEVELS,
    QUANTILES,
    SOCIO_ECO_STATS,
    TRUE_SHARES,
    UNKNOWN_SOCIO_MONTHS,
)

EFFECTS: dict[str, dict[object, float]] = {
    "job_type": {"Etudiant": 0.9, "Retraité": 0.8, "Chomeur": 0.3, "Manager": 0.2, "Col bleu": -0.4},
    "status": {"Célibataire": 0.25, "Marié": -0.1},
    "education": {"Tertiaire": 0.3, "Primaire": -0.2},
    "contact": {None: -1.0},
    "result_last_campaign": {"Succes": 2.3, "Autre": 0.4, "Echec": 0.1},
    "has_housing_loan": {True: -0.7},
    "has_perso_loan": {True: -0.5},
    "has_default": {True: -0.3},
}
"""Log-odds added to a contact's subscription for each label (unlisted labels add nothing)."""

SLOPES = {
    "employment_variation_rate": -0.5,
    "idx_consumer_confidence": 0.05,
    "balance_thousands": 0.08,
    "extra_contacts": -0.12,
    "years_under_30": 0.04,
    "years_over_60": 0.05,
}
"""Log-odds per unit of the numeric drivers (indicators centred on their real mean)."""


@dataclass(frozen=True)
class DemoData:
    """Rows for the `marketing` and `socio_eco` tables, keyed by column, None for NULL."""

    marketing: list[dict]
    socio_eco: list[dict]


def generate(rows: int, seed: int = DEFAULT_SEED, today: date | None = None) -> DemoData:
    """`rows` contacts over the 30 months up to the day before `today` (default: the current date), and
    the indicators of those months that have ended: like the bank's, a month is published once over,
    so the newest indicators are never dated in the future."""
    if rows < 1:
        raise ValueError(f"rows must be at least 1, got {rows}")
    today = today or date.today()
    yesterday = today - timedelta(days=1)
    rng = np.random.default_rng(seed)
    months = _month_ends(yesterday, len(MONTHLY_CONTACT_SHARES))
    socio = _socio_eco_series(rng, months)
    dates = _contact_dates(rng, rows, months, yesterday)
    columns: dict[str, Any] = {"id": list(range(rows)), "date": dates}
    for feature in LABEL_SHARES:
        columns[feature] = _labels(rng, feature, rows)
    for feature in TRUE_SHARES:
        columns[feature] = _flags(rng, feature, rows)
    contacted_before = np.array([label is not None for label in columns["result_last_campaign"]])
    columns.update(_numbers(rng, rows, contacted_before))
    indicators = _indicators_as_of(socio, dates)
    subscribed = rng.random(rows) < _subscription_probability(columns, indicators)
    columns["outcome"] = _outcomes(rng, subscribed)
    columns["subscription"] = [Outcome(outcome).subscribed for outcome in columns["outcome"]]
    columns["duration_contact"] = _durations(rng, columns["outcome"], subscribed)
    return DemoData(
        marketing=[dict(zip(columns, values, strict=True)) for values in zip(*columns.values(), strict=True)],
        socio_eco=[{"date": row.date, **row.as_features()} for row in socio if row.date < today],
    )


def _month_ends(day: date, count: int) -> list[date]:
    """The last days of the `count` months ending with `day`'s month, oldest first."""
    index = day.year * 12 + day.month - 1
    ends = []
    for month_index in range(index - count + 1, index + 1):
        year, month = divmod(month_index, 12)
        ends.append(date(year, month + 1, calendar.monthrange(year, month + 1)[1]))
    return ends


def _socio_eco_series(rng: np.random.Generator, months: list[date]) -> list[SocioEcoIndicators]:
    """AR(1) series with the real level, spread and persistence; the real unknown months stay unknown."""
    values = {}
    for name, stats in SOCIO_ECO_STATS.items():
        phi = stats["autocorrelation"]
        shocks = rng.normal(0.0, stats["std"] * np.sqrt(1 - phi**2), len(months))
        series = np.empty(len(months))
        series[0] = stats["mean"] + rng.normal(0.0, stats["std"])
        for i in range(1, len(months)):
            series[i] = stats["mean"] + phi * (series[i - 1] - stats["mean"]) + shocks[i]
        values[name] = np.round(series, int(stats["decimals"]))
    return [
        SocioEcoIndicators(
            month_end,
            *(None if i in UNKNOWN_SOCIO_MONTHS else float(values[name][i]) for name in INDICATORS),
        )
        for i, month_end in enumerate(months)
    ]


def _contact_dates(rng: np.random.Generator, rows: int, months: list[date], last: date) -> list[date]:
    """Dates spread over the months like the real campaign volumes, none after `last`, in order."""
    shares = np.array(MONTHLY_CONTACT_SHARES)
    month = np.sort(rng.choice(len(months), size=rows, p=shares / shares.sum()))
    last_day = np.array([end.day for end in months])
    last_day[-1] = last.day
    day = 1 + np.floor(rng.random(rows) * last_day[month]).astype(int)
    ordered = np.lexsort((day, month))
    return [months[m].replace(day=int(d)) for m, d in zip(month[ordered], day[ordered], strict=True)]


def _labels(rng: np.random.Generator, feature: str, rows: int) -> list[str | None]:
    """Labels drawn with the real shares, None with the real missing rate."""
    labels = [*LABEL_SHARES[feature], None]
    return _draw(rng, labels, [*LABEL_SHARES[feature].values(), MISSING_RATES[feature]], rows)


def _flags(rng: np.random.Generator, feature: str, rows: int) -> list[bool | None]:
    yes, missing = TRUE_SHARES[feature], MISSING_RATES[feature]
    return _draw(rng, [True, False, None], [yes, 1 - yes - missing, missing], rows)


def _draw(rng: np.random.Generator, values: list, weights: list[float], rows: int) -> list:
    shares = np.array(weights)
    return [values[i] for i in rng.choice(len(values), size=rows, p=shares / shares.sum())]


def _quantile_draw(rng: np.random.Generator, name: str, rows: int) -> np.ndarray:
    """Integers drawn through the real quantile function (piecewise linear between quantiles)."""
    return np.rint(np.interp(rng.random(rows), QUANTILE_LEVELS, QUANTILES[name])).astype(int)


def _numbers(rng: np.random.Generator, rows: int, contacted_before: np.ndarray) -> dict[str, list]:
    age = _quantile_draw(rng, "age", rows)
    age_known = rng.random(rows) >= MISSING_RATES["age"]
    nb_day = np.where(contacted_before, _quantile_draw(rng, "nb_day_last_contact", rows), -1)
    nb_last = np.where(contacted_before, _quantile_draw(rng, "nb_contact_last_campaign", rows), 0)
    return {
        "age": [int(a) if known else None for a, known in zip(age, age_known, strict=True)],
        "balance": _quantile_draw(rng, "balance", rows).tolist(),
        "nb_contact": _quantile_draw(rng, "nb_contact", rows).tolist(),
        "nb_day_last_contact": nb_day.tolist(),
        "nb_contact_last_campaign": nb_last.tolist(),
    }


def _indicators_as_of(socio: list[SocioEcoIndicators], dates: list[date]) -> dict[str, np.ndarray]:
    """Each contact's indicators, chosen by the domain's as-of rule (NaN when none is old enough)."""
    picked = pick_indices(socio, np.array(dates, dtype="datetime64[D]"))
    table = {
        name: np.array([np.nan, *(getattr(row, name) or np.nan for row in socio)]) for name in INDICATORS
    }
    return {name: values[picked + 1] for name, values in table.items()}


def _subscription_probability(columns: dict, indicators: dict[str, np.ndarray]) -> np.ndarray:
    """The demo's logistic truth, its intercept solved so that the mean hits the real rate."""
    logit = np.zeros(len(columns["id"]))
    for feature, effects in EFFECTS.items():
        logit += np.array([effects.get(value, 0.0) for value in columns[feature]])
    age = np.array([np.nan if a is None else a for a in columns["age"]], dtype=float)
    drivers = {
        "employment_variation_rate": indicators["employment_variation_rate"]
        - SOCIO_ECO_STATS["employment_variation_rate"]["mean"],
        "idx_consumer_confidence": indicators["idx_consumer_confidence"]
        - SOCIO_ECO_STATS["idx_consumer_confidence"]["mean"],
        "balance_thousands": np.asarray(columns["balance"]) / 1000,
        "extra_contacts": np.minimum(np.asarray(columns["nb_contact"]), 10) - 1,
        "years_under_30": np.clip(30 - age, 0, None),
        "years_over_60": np.clip(age - 60, 0, None),
    }
    for name, slope in SLOPES.items():
        logit += slope * np.nan_to_num(drivers[name])
    target = OUTCOME_SHARES[Outcome.SUBSCRIBED]
    intercept = brentq(lambda shift: expit(logit + shift).mean() - target, -20.0, 20.0)
    return expit(logit + intercept)


def _outcomes(rng: np.random.Generator, subscribed: np.ndarray) -> list[str]:
    """`statut`: "Souscrit" for subscribers, else another outcome with the real relative shares
    (pending ones included: their subscription is then unknown, as in the export)."""
    others = {label: share for label, share in OUTCOME_SHARES.items() if label != Outcome.SUBSCRIBED}
    drawn = _draw(rng, list(others), list(others.values()), len(subscribed))
    return [Outcome.SUBSCRIBED.value if yes else other for yes, other in zip(subscribed, drawn, strict=True)]


def _durations(rng: np.random.Generator, outcomes: list[str], subscribed: np.ndarray) -> list[int]:
    """Call length in seconds: 0 when nobody answered, longer calls for subscribers (as in reality)."""
    rows = len(outcomes)
    length = np.where(
        subscribed,
        _quantile_draw(rng, "duration_subscribed", rows),
        _quantile_draw(rng, "duration_not_subscribed", rows),
    )
    return [0 if outcome == "Absent" else int(n) for outcome, n in zip(outcomes, length, strict=True)]
