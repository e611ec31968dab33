"""Reading a fitted `pipelines.logistic()` into the terms of a CompiledLogistic, exactly or not at all.

Only the steps and options understood here are read; any other shape (another classifier, a
dropped or infrequent category, weighted blocks, a scaler inside the one-hot block...) raises
UncompilablePipeline, so a new family or setting can never be served with arithmetic that
differs from the pipeline's. `packaging.packaged` compiles before anything is published.
"""

import math

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

from chaos.domain.features import CATEGORICAL, MODEL_FEATURES
from chaos.infrastructure.models.compiled_logistic import CompiledLogistic, LabelTerm, NumberTerm, signed_log


class UncompilablePipeline(ValueError):
    """The fitted pipeline has a shape that cannot be reproduced exactly by a CompiledLogistic."""


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
        logged, imputer, rest = _steps(block_name, block)
        if [type(step) for step in rest] == [OneHotEncoder]:
            labels += _label_terms(block_name, columns, imputer, rest[0], block_coef)
        else:
            _require(rest == [] or [type(step) for step in rest] == [StandardScaler], _shape(block_name))
            scaler = rest[0] if rest else None
            numbers += _number_terms(block_name, columns, imputer, scaler, block_coef, logged)
        width += len(block_coef)
        seen += columns
    _require(width == coef.size, f"the blocks give {width} columns, the classifier has {coef.size}")
    _require(sorted(seen) == sorted(MODEL_FEATURES), "the blocks do not read each model feature once")
    _require(
        all(t.name in CATEGORICAL for t in labels) and not any(t.name in CATEGORICAL for t in numbers),
        "a label feature is scaled as a number, or a number one-hot encoded",
    )
    return CompiledLogistic(float(classifier.intercept_.reshape(-1)[0]), numbers, labels)


def _steps(block_name: str, block) -> tuple[bool, SimpleImputer, list]:
    """(whether the block starts with signed_log, its imputer, the steps after the imputer)."""
    steps = [step for _, step in block.steps] if type(block) is Pipeline else [block]
    logged = type(steps[0]) is FunctionTransformer
    if logged:
        only_signed_log = f"block {block_name!r}: the only function compiled is signed_log"
        _require(steps[0].func is signed_log, only_signed_log)
        steps = steps[1:]
    _require(bool(steps) and type(steps[0]) is SimpleImputer, _shape(block_name))
    imputer = steps[0]
    missing_values = imputer.missing_values
    _require(
        isinstance(missing_values, float) and math.isnan(missing_values),
        f"block {block_name!r}: only NaN is imputed",
    )
    return logged, imputer, steps[1:]


def _number_terms(
    block_name: str, columns: list[str], imputer: SimpleImputer, scaler, coef: np.ndarray, logged: bool
) -> list[NumberTerm]:
    """SimpleImputer output = kept value columns (not all-missing in training), then indicators;
    `logged`: the imputer saw signed_log of the values, so its fill values are on that scale."""
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
                signed_log=logged,
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
        terms.append(LabelTerm(name, coefs, coefs.get(fill, 0.0)))
        start += len(categories)
    return terms


def _shape(block_name: str) -> str:
    return (
        f"block {block_name!r} is neither SimpleImputer[+StandardScaler] (after an optional signed_log) "
        "nor SimpleImputer+OneHotEncoder"
    )


def _require(condition: bool, reason: str) -> None:
    if not condition:
        raise UncompilablePipeline(f"cannot compile the pipeline exactly: {reason}")
