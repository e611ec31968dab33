"""The one conversion from feature records to the pandas frame the pipelines consume.

Training and serving both go through `feature_frame`, so a value is encoded the same way in
both (no training/serving skew): booleans become 1.0/0.0, categoricals stay strings, and every
missing value (None) becomes NaN for the pipeline's imputers.
"""

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from chaos.domain.features import BOOLEAN, CATEGORICAL, MODEL_FEATURES


def feature_frame(rows: Sequence[Mapping[str, object]]) -> pd.DataFrame:
    """One row per record, the MODEL_FEATURES columns in order; raises ValueError on a bad record."""
    missing = {name for row in rows for name in MODEL_FEATURES if name not in row}
    if missing:
        raise ValueError(f"feature records lack {sorted(missing)}")
    index = pd.RangeIndex(len(rows))
    columns = {
        name: pd.Series(_column(name, [row[name] for row in rows]), index=index, dtype=_dtype(name))
        for name in MODEL_FEATURES
    }
    return pd.DataFrame(columns, copy=False)


def _dtype(name: str) -> type:
    """Object, not pandas' string dtype, so that missing categoricals are NaN as the imputer expects."""
    return object if name in CATEGORICAL else float


def _column(name: str, values: list[object]) -> np.ndarray:
    """Object array (strings, NaN) for categoricals, floats (NaN for missing) for the rest."""
    if name in CATEGORICAL:
        _require(name, values, "a string", lambda v: isinstance(v, str))
        return np.array([np.nan if value is None else value for value in values], dtype=object)
    if name in BOOLEAN:
        _require(name, values, "a boolean", lambda v: isinstance(v, bool))
    else:
        _require(name, values, "a number", _is_number)
    return np.array([np.nan if value is None else float(value) for value in values], dtype=float)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool)


def _require(name: str, values: list[object], kind: str, accepts) -> None:
    wrong = next((v for v in values if v is not None and not accepts(v)), None)
    if wrong is not None:
        raise ValueError(f"feature {name!r}: {wrong!r} is not {kind} or None")
