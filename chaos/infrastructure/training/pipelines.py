"""The model `chaos train` fits: a scikit-learn Pipeline over the feature frame.

The family is "logistic" (compiled_logistic.FAMILY), a linear model on standardised numbers and
one-hot labels: its probability for one row can be recomputed by hand from the coefficients, which
keeps single-row scoring cheap and explainable. The customer's numbers (age, balance, counts of
calls and days) are heavy-tailed, or bounded below and spread to the right: they enter on a signed
log scale (compiled_logistic.signed_log), so that a few extreme balances or call counts do not set
the slope for everyone; the socio-economic indicators, which move within a narrow range, and the
flags stay linear.
"""

from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

from chaos.domain.features import BOOLEAN, CATEGORICAL, NUMERIC, SOCIO_ECONOMIC
from chaos.infrastructure.models.compiled_logistic import signed_log

MISSING_LABEL = "missing"


def _numbers(*before) -> Pipeline:
    """Median for a missing number, plus a was-missing column so the model can price the absence;
    after the steps `before` (the median is then imputed on their scale)."""
    return make_pipeline(*before, SimpleImputer(strategy="median", add_indicator=True), StandardScaler())


def _preprocessing() -> ColumnTransformer:
    # keep_empty_features: a label never filled in the training window (result_last_campaign
    # before August 2008) is still a column, every row "missing", rather than silently dropped.
    labels = make_pipeline(
        SimpleImputer(strategy="constant", fill_value=MISSING_LABEL, keep_empty_features=True),
        OneHotEncoder(handle_unknown="ignore"),
    )
    return ColumnTransformer(
        [
            (
                "customer_numbers",
                _numbers(FunctionTransformer(signed_log, feature_names_out="one-to-one")),
                list(NUMERIC),
            ),
            ("socio_economic", _numbers(), list(SOCIO_ECONOMIC)),
            ("boolean", _numbers(), list(BOOLEAN)),
            ("categorical", labels, list(CATEGORICAL)),
        ]
    )


def logistic() -> Pipeline:
    return Pipeline([("features", _preprocessing()), ("classifier", LogisticRegression(max_iter=2000))])
