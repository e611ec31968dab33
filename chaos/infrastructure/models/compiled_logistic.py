"""The fitted logistic pipeline compiled at load time into per-feature terms: scores without pandas.

One row through the scikit-learn Pipeline costs milliseconds (a pandas frame, input validation,
a sparse one-hot matrix) for a few dozen multiplications. Read once from the fitted steps, the
logit of a customer is the intercept plus one term per feature:
- a number (or flag) x contributes coef * (x - mean) / scale, plus its was-missing indicator's
  term; a missing one contributes the same at the imputed value, with the indicator set;
- a label contributes the coefficient of its one-hot column, 0 for a label unseen in training.
`predict_one` adds the terms in plain Python (faster than numpy for one row: see bench/),
`predict_many` does the same arithmetic on numpy columns. Any fitted shape or option not
understood here is refused with `UncompilablePipeline`, so a new family or setting can never be
served with arithmetic that differs from the pipeline's.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.special import expit
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from chaos.domain.features import CATEGORICAL, MODEL_FEATURES
from chaos.infrastructure.models.feature_values import accepts, check_column, lacking, wrong_value


class UncompilablePipeline(ValueError):
    """The fitted pipeline has a shape this module cannot reproduce exactly."""


@dataclass(frozen=True, slots=True)
class NumberTerm:
    """coef * (x - mean) / scale for a known x (+ `present`); `missing` for a missing one."""

    name: str
    coef: float
    mean: float
    scale: float
    present: float
    missing: float


@dataclass(frozen=True, slots=True)
class LabelTerm:
    """The one-hot coefficient of each training label; None (missing) maps to the imputed label's."""

    name: str
    coefs: Mapping[str | None, float]


class CompiledLogistic:
    """P(subscription) = sigmoid(intercept + sum of the feature terms), equal to the pipeline's."""

    def __init__(self, intercept: float, numbers: Sequence[NumberTerm], labels: Sequence[LabelTerm]):
        self.intercept = intercept
        self.numbers = tuple(numbers)
        self.labels = tuple(labels)
        self._number_rows = tuple(
            (t.name, accepts(t.name), t.coef, t.mean, t.scale, t.present, t.missing) for t in self.numbers
        )
        self._label_rows = tuple((t.name, dict(t.coefs)) for t in self.labels)
        columns = np.array([[t.coef, t.mean, t.scale, t.present, t.missing] for t in self.numbers]).T
        self._coef, self._mean, self._scale, self._present, self._missing = columns.reshape(5, -1)

    def predict_one(self, features: Mapping[str, object]) -> float:
        try:
            logit = self.intercept
            for name, valid, coef, mean, scale, present, missing in self._number_rows:
                value = features[name]
                if value is None:
                    logit += missing
                    continue
                if not valid(value):
                    raise wrong_value(name, value)
                x = float(value)
                if math.isnan(x):
                    logit += missing
                elif math.isinf(x):
                    raise ValueError(f"feature {name!r}: {value!r} is not a finite number")
                else:
                    logit += coef * ((x - mean) / scale) + present
            for name, coefs in self._label_rows:
                label = features[name]
                if label is not None and not isinstance(label, str):
                    raise wrong_value(name, label)
                logit += coefs.get(label, 0.0)
        except KeyError:
            raise lacking(set(MODEL_FEATURES) - set(features)) from None
        return _sigmoid(logit)

    def predict_many(self, rows: Sequence[Mapping[str, object]]) -> list[float]:
        if not rows:
            return []
        try:
            logit = np.full(len(rows), self.intercept)
            if self.numbers:
                logit += self._number_terms(rows)
            for name, coefs in self._label_rows:
                labels = [row[name] for row in rows]
                check_column(name, labels)
                logit += np.fromiter(map(coefs.get, labels, [0.0] * len(labels)), float, len(labels))
        except KeyError:
            raise lacking({name for row in rows for name in MODEL_FEATURES if name not in row}) from None
        return expit(logit).tolist()

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
        known = self._coef * ((x - self._mean) / self._scale) + self._present
        return np.where(unknown, self._missing, known).sum(axis=1)


def _sigmoid(z: float) -> float:
    """1 / (1 + e^-z) without overflow for very negative z."""
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def compile_logistic(pipeline) -> CompiledLogistic:
    """Read a fitted `pipelines.logistic()` into terms; UncompilablePipeline for any other shape."""
    _require(
        type(pipeline) is Pipeline
        and len(pipeline.steps) == 2
        and type(pipeline.steps[0][1]) is ColumnTransformer
        and type(pipeline.steps[1][1]) is LogisticRegression,
        "not a Pipeline(ColumnTransformer, LogisticRegression)",
    )
    transformer, classifier = pipeline.steps[0][1], pipeline.steps[1][1]
    _require(len(classifier.classes_) == 2, "the classifier is not binary")
    _require(transformer.transformer_weights is None, "weighted column blocks are not compiled")
    coef = classifier.coef_.reshape(-1).astype(float)
    numbers, labels, width, seen = [], [], 0, []
    for block_name, block, columns in transformer.transformers_:
        if isinstance(block, str) and block == "drop":
            continue
        _require(
            isinstance(columns, list) and all(isinstance(c, str) for c in columns),
            f"block {block_name!r} does not select columns by name",
        )
        block_coef = coef[transformer.output_indices_[block_name]]
        imputer, rest = _steps(block_name, block)
        if [type(step) for step in rest] == [OneHotEncoder]:
            labels += _label_terms(block_name, columns, imputer, rest[0], block_coef)
        else:
            _require(rest == [] or [type(step) for step in rest] == [StandardScaler], _shape(block_name))
            numbers += _number_terms(block_name, columns, imputer, rest[0] if rest else None, block_coef)
        width += len(block_coef)
        seen += columns
    _require(width == coef.size, f"the blocks give {width} columns, the classifier has {coef.size}")
    _require(sorted(seen) == sorted(MODEL_FEATURES), "the blocks do not read each model feature once")
    _require(
        all(t.name in CATEGORICAL for t in labels) and not any(t.name in CATEGORICAL for t in numbers),
        "a label feature is scaled as a number, or a number one-hot encoded",
    )
    return CompiledLogistic(float(classifier.intercept_.reshape(-1)[0]), numbers, labels)


def _steps(block_name: str, block) -> tuple[SimpleImputer, list]:
    steps = [step for _, step in block.steps] if type(block) is Pipeline else [block]
    _require(type(steps[0]) is SimpleImputer, _shape(block_name))
    imputer = steps[0]
    missing_values = imputer.missing_values
    _require(
        isinstance(missing_values, float) and math.isnan(missing_values),
        f"block {block_name!r}: only NaN is imputed",
    )
    return imputer, steps[1:]


def _number_terms(
    block_name: str, columns: list[str], imputer: SimpleImputer, scaler, coef: np.ndarray
) -> list[NumberTerm]:
    """SimpleImputer output = kept value columns (not all-missing in training), then indicators."""
    fills = np.asarray(imputer.statistics_, dtype=float)
    kept = [i for i in range(len(columns)) if not math.isnan(fills[i])]
    flagged = list(imputer.indicator_.features_) if imputer.add_indicator else []
    width = len(kept) + len(flagged)
    _require(len(coef) == width, f"block {block_name!r}: {len(coef)} coefficients for {width} columns")
    mean, scale = np.zeros(width), np.ones(width)
    if scaler is not None:
        _require(scaler.n_features_in_ == width, f"block {block_name!r}: scaler width differs")
        if scaler.with_mean:
            mean = scaler.mean_
        if scaler.with_std:
            scale = scaler.scale_
    value_column = {i: position for position, i in enumerate(kept)}
    flag_column = {i: len(kept) + position for position, i in enumerate(flagged)}

    def term(column: int | None, x: float) -> float:
        """This column's share of the logit at input x (0 for a column the block does not output)."""
        return 0.0 if column is None else float(coef[column] * ((x - mean[column]) / scale[column]))

    terms = []
    for i, name in enumerate(columns):
        value, flag = value_column.get(i), flag_column.get(i)
        terms.append(
            NumberTerm(
                name=name,
                coef=0.0 if value is None else float(coef[value]),
                mean=0.0 if value is None else float(mean[value]),
                scale=1.0 if value is None else float(scale[value]),
                present=term(flag, 0.0),
                missing=term(value, float(fills[i])) + term(flag, 1.0),
            )
        )
    return terms


def _label_terms(
    block_name: str, columns: list[str], imputer: SimpleImputer, encoder: OneHotEncoder, coef: np.ndarray
) -> list[LabelTerm]:
    _require(not imputer.add_indicator, f"block {block_name!r}: missing-label indicators are not compiled")
    _require(
        encoder.drop is None
        and encoder.handle_unknown == "ignore"
        and not encoder._infrequent_enabled
        and np.dtype(encoder.dtype) == np.float64,
        f"block {block_name!r}: only OneHotEncoder(handle_unknown='ignore') without drop, "
        "infrequent categories or a narrower dtype is compiled",
    )
    width = sum(len(categories) for categories in encoder.categories_)
    _require(width == len(coef), f"block {block_name!r}: {len(coef)} coefficients for {width} labels")
    terms, start = [], 0
    for name, categories, fill in zip(columns, encoder.categories_, imputer.statistics_, strict=True):
        _require(
            all(isinstance(label, str) for label in categories) and isinstance(fill, str),
            f"block {block_name!r}: labels of {name!r} are not strings",
        )
        coefs = {label: float(c) for label, c in zip(categories.tolist(), coef[start:], strict=False)}
        terms.append(LabelTerm(name, coefs | {None: coefs.get(fill, 0.0)}))
        start += len(categories)
    return terms


def _shape(block_name: str) -> str:
    return f"block {block_name!r} is neither SimpleImputer[+StandardScaler] nor SimpleImputer+OneHotEncoder"


def _require(condition: bool, reason: str) -> None:
    if not condition:
        raise UncompilablePipeline(f"cannot compile the pipeline exactly: {reason}")
