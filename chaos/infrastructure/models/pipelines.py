"""The model `chaos train` fits: a scikit-learn Pipeline over the feature frame.

The family is "logistic" (compiled_logistic.FAMILY), a linear model on standardised numbers and
one-hot labels: its probability for one row can be recomputed by hand from the coefficients, which
keeps single-row scoring cheap and explainable.
"""

from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from chaos.domain.features import BOOLEAN, CATEGORICAL, NUMERIC, SOCIO_ECONOMIC

MISSING_LABEL = "missing"


def _numbers() -> Pipeline:
    """Median for a missing number, plus a was-missing column so the model can price the absence."""
    return make_pipeline(SimpleImputer(strategy="median", add_indicator=True), StandardScaler())


def _preprocessing() -> ColumnTransformer:
    # keep_empty_features: a label never filled in the training window (result_last_campaign
    # before August 2008) is still a column, every row "missing", rather than silently dropped.
    labels = make_pipeline(
        SimpleImputer(strategy="constant", fill_value=MISSING_LABEL, keep_empty_features=True),
        OneHotEncoder(handle_unknown="ignore"),
    )
    return ColumnTransformer(
        [
            ("numeric", _numbers(), list(NUMERIC + SOCIO_ECONOMIC)),
            ("boolean", _numbers(), list(BOOLEAN)),
            ("categorical", labels, list(CATEGORICAL)),
        ]
    )


def logistic() -> Pipeline:
    return Pipeline([("features", _preprocessing()), ("classifier", LogisticRegression(max_iter=2000))])
