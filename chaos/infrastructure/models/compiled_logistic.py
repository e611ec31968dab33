"""The logistic family as per-feature terms: a customer's score without pandas, scipy or sklearn.

One row through the scikit-learn Pipeline costs milliseconds (a pandas frame, input validation,
a sparse one-hot matrix) for a few dozen multiplications. Read once from the fitted steps
(logistic_compiler), the logit of a customer is the intercept plus one term per feature:
- a number (or flag) x contributes coef * (x - mean) / scale, plus its was-missing indicator's
  term, where x is first replaced by signed_log(x) for the numbers the pipeline takes on a log
  scale; a missing one contributes the same at the imputed value, with the indicator set;
- a label contributes the coefficient of its one-hot column, 0 for a label unseen in training.
`predict_one` adds the terms in plain Python (faster than numpy for one row: see bench/),
`predict_many` does the same arithmetic on numpy columns. The terms are saved as JSON beside the
pickled pipeline (floats round-trip exactly), so a serving process never imports scikit-learn,
pandas or scipy: that is most of a worker's memory and start-up time.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, cast

import numpy as np

from chaos.domain.calibration import sigmoid, sigmoids
from chaos.domain.features import CATEGORICAL, MODEL_FEATURES, accepts, plain_types, wrong_value
from chaos.infrastructure.models.feature_values import check_column, lacking

FAMILY = "logistic"


def signed_log(x):
    """sign(x) * log(1 + |x|), element-wise (NaN stays NaN): a heavy-tailed amount or count, such as
    a balance of -8,000 to 98,000 or a few to hundreds of calls, on a scale where a linear term fits
    (one more call matters after two, hardly after fifty), with 0 kept at 0 and negatives allowed."""
    return np.sign(x) * np.log1p(np.abs(x))


@dataclass(frozen=True, slots=True)
class NumberTerm:
    """coef * (x - mean) / scale for a known x (+ `present`); `missing` for a missing one.
    With `signed_log`, x is signed_log of the value (and `mean`, `scale`, the imputed value on that scale)."""

    name: str
    coef: float
    mean: float
    scale: float
    present: float
    missing: float
    signed_log: bool = False


@dataclass(frozen=True, slots=True)
class LabelTerm:
    """The one-hot coefficient of each training label, and the imputed label's for a missing one."""

    name: str
    coefs: Mapping[str, float]
    missing: float


class CompiledLogistic:
    """P(subscription) = sigmoid(intercept + sum of the feature terms), equal to the pipeline's."""

    def __init__(self, intercept: float, numbers: Sequence[NumberTerm], labels: Sequence[LabelTerm]):
        self.intercept = intercept
        self.numbers = tuple(numbers)
        self.labels = tuple(labels)
        self._number_rows = tuple(
            (
                t.name,
                plain_types(t.name),
                accepts(t.name),
                t.signed_log,
                t.coef,
                t.mean,
                t.scale,
                t.present,
                t.missing,
            )
            for t in self.numbers
        )
        self._label_rows = tuple(
            (t.name, plain_types(t.name), accepts(t.name), {**t.coefs, None: t.missing}) for t in self.labels
        )
        columns = np.array([[t.coef, t.mean, t.scale, t.present, t.missing] for t in self.numbers]).T
        self._coef, self._mean, self._scale, self._present, self._missing = columns.reshape(5, -1)
        self._logged = np.array([t.signed_log for t in self.numbers], dtype=bool)

    def predict_one(self, features: Mapping[str, object]) -> float:
        return sigmoid(self.log_odds_one(features))

    def predict_many(self, rows: Sequence[Mapping[str, object]]) -> list[float]:
        return sigmoids(self.log_odds_array(rows)).tolist()

    def log_odds_many(self, rows: Sequence[Mapping[str, object]]) -> list[float]:
        return self.log_odds_array(rows).tolist()

    def log_odds_one(self, features: Mapping[str, Any]) -> float:
        """The intercept plus every feature's term: the log-odds before calibration."""
        try:
            logit = self.intercept
            for name, plain, valid, logged, coef, mean, scale, present, missing in self._number_rows:
                value = features[name]
                if value is None:
                    logit += missing
                    continue
                if type(value) not in plain and not valid(value):
                    raise wrong_value(name, value)
                x = float(value)
                if math.isnan(x):
                    logit += missing
                elif math.isinf(x):
                    raise ValueError(f"feature {name!r}: {value!r} is not a finite number")
                else:
                    if logged:
                        x = math.copysign(math.log1p(abs(x)), x)
                    logit += coef * ((x - mean) / scale) + present
            for name, plain, valid, coefs in self._label_rows:
                label = features[name]
                if label is not None and type(label) not in plain and not valid(label):
                    raise wrong_value(name, label)
                logit += coefs.get(label, 0.0)
        except KeyError:
            raise lacking(set(MODEL_FEATURES) - set(features)) from None
        return logit

    def contributions(self, features: Mapping[str, object]) -> dict[str, float]:
        """Each feature's term of `log_odds_one` (they sum, with the intercept, to the log-odds):
        the same arithmetic, one feature at a time, so an explanation is exact by construction."""
        return {name: scorer.log_odds_one(features) for name, scorer in self._single_terms.items()}

    @cached_property
    def _single_terms(self) -> dict[str, "CompiledLogistic"]:
        """One scorer per feature, holding only that feature's term and no intercept."""
        numbers = {t.name: CompiledLogistic(0.0, (t,), ()) for t in self.numbers}
        return numbers | {t.name: CompiledLogistic(0.0, (), (t,)) for t in self.labels}

    def log_odds_array(self, rows: Sequence[Mapping[str, object]]) -> np.ndarray:
        if not rows:
            return np.empty(0)
        try:
            logit = np.full(len(rows), self.intercept)
            if self.numbers:
                logit += self._number_terms(rows)
            for name, _, _, coefs in self._label_rows:
                labels = [row[name] for row in rows]
                check_column(name, labels)
                logit += np.fromiter(map(coefs.get, labels, [0.0] * len(labels)), float, len(labels))
        except KeyError:
            raise lacking({name for row in rows for name in MODEL_FEATURES if name not in row}) from None
        return logit

    def _number_terms(self, rows: Sequence[Mapping[str, object]]) -> np.ndarray:
        columns = []
        for term in self.numbers:
            values = [row[term.name] for row in rows]
            check_column(term.name, values)
            columns.append(values)
        x = np.array(columns, dtype=float).T
        unknown = np.isnan(x)
        infinite = np.isinf(x)
        if infinite.any():
            row, column = np.argwhere(infinite)[0]
            name = self.numbers[column].name
            raise ValueError(f"feature {name!r}: {rows[row][name]!r} is not a finite number")
        if self._logged.any():
            x[:, self._logged] = signed_log(x[:, self._logged])
        known = self._coef * ((x - self._mean) / self._scale) + self._present
        return np.where(unknown, self._missing, known).sum(axis=1)

    def to_json(self) -> dict:
        return {
            "family": FAMILY,
            "intercept": self.intercept,
            "numbers": [{field: getattr(t, field) for field in NumberTerm.__slots__} for t in self.numbers],
            "labels": [{"name": t.name, "coefs": dict(t.coefs), "missing": t.missing} for t in self.labels],
        }

    @classmethod
    def from_json(cls, saved: Any) -> "CompiledLogistic":
        """The scorer `to_json` described; ValueError when `saved` is anything else."""
        try:
            if saved["family"] != FAMILY:
                raise ValueError(f"family {saved['family']!r} is not {FAMILY!r}")
            numbers = [_number_term(t) for t in saved["numbers"]]
            labels = [
                LabelTerm(
                    t["name"], {str(k): _finite(v) for k, v in t["coefs"].items()}, _finite(t["missing"])
                )
                for t in saved["labels"]
            ]
            scorer = cls(_finite(saved["intercept"]), numbers, labels)
        except (KeyError, TypeError, AttributeError) as error:
            raise ValueError(f"not a compiled logistic scorer ({error!r})") from error
        names = [t.name for t in numbers] + [t.name for t in labels]
        if sorted(names) != sorted(MODEL_FEATURES) or any(t.name not in CATEGORICAL for t in labels):
            raise ValueError(f"its features {names} are not the model features {list(MODEL_FEATURES)}")
        return scorer


def _number_term(saved: Mapping[str, Any]) -> NumberTerm:
    """A saved NumberTerm; one saved before `signed_log` existed reads as linear, which it was."""
    logged = saved.get("signed_log", False)
    if not isinstance(logged, bool):
        raise ValueError(f"signed_log {logged!r} is not a boolean")
    values = {k: v if k == "name" else _finite(v) for k, v in saved.items() if k != "signed_log"}
    return NumberTerm(**cast(dict[str, Any], values), signed_log=logged)


def _finite(value: object) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
        raise ValueError(f"{value!r} is not a finite number")
    return float(value)
