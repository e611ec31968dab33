"""The one conversion from feature records to the pandas frame the pipelines consume.

Training (and the reference scores of the pipeline) go through `feature_frame`: booleans become
1.0/0.0, categoricals stay strings, and every missing value (None) becomes NaN for the
pipeline's imputers. Serving scores with the compiled form of the same pipeline
(compiled_logistic), which accepts values by the same rule (the domain's, in features) and is proved
equal to it, so there is no training/serving skew.
"""

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from chaos.domain.features import CATEGORICAL, MODEL_FEATURES
from chaos.infrastructure.models.feature_values import check_column, lacking


def feature_frame(rows: Sequence[Mapping[str, object]]) -> pd.DataFrame:
    """One row per record, the MODEL_FEATURES columns in order; raises ValueError on a bad record."""
    missing = {name for row in rows for name in MODEL_FEATURES if name not in row}
    if missing:
        raise lacking(missing)
    index = pd.RangeIndex(len(rows))
    columns = {
        name: pd.Series(_column(name, [row[name] for row in rows]), index=index, dtype=_dtype(name))
        for name in MODEL_FEATURES
    }
    return pd.DataFrame(columns, copy=False)


def _dtype(name: str) -> type:
    """Object, not pandas' string dtype, so that missing categoricals are NaN as the imputer expects."""
    return object if name in CATEGORICAL else float


def _column(name: str, values: list[Any]) -> np.ndarray:
    """Object array (strings, NaN) for categoricals, floats (NaN for missing) for the rest."""
    check_column(name, values)
    if name in CATEGORICAL:
        return np.array([np.nan if value is None else value for value in values], dtype=object)
    return np.array([np.nan if value is None else float(value) for value in values], dtype=float)
