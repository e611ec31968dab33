"""The feature-value rule, one definition: the domain's Customer, the compiled scorer and the
training frame accept and refuse the same values, numpy scalars included."""

from datetime import date

import numpy as np
import pytest

from chaos.domain.customer import Customer
from chaos.domain.features import BOOLEAN, CATEGORICAL, CUSTOMER_FEATURES, NUMERIC, check_values
from chaos.domain.socio_eco import INDICATORS
from chaos.entrypoints.web.appetence_schema import EXAMPLE_REQUEST
from chaos.infrastructure.models.compiled_logistic import CompiledLogistic, LabelTerm, NumberTerm
from chaos.infrastructure.training.frame import feature_frame

FEATURES = {name: EXAMPLE_REQUEST[name] for name in CUSTOMER_FEATURES}
MONTH = {"employment_variation_rate": 1.1, "idx_consumer_price": 93.9, "idx_consumer_confidence": -36.4}


def zero_scorer() -> CompiledLogistic:
    """Every model feature with a zero term: only the value checks can make it fail."""
    numbers = [NumberTerm(name, 0.0, 0.0, 1.0, 0.0, 0.0) for name in NUMERIC + BOOLEAN + INDICATORS]
    return CompiledLogistic(0.0, numbers, [LabelTerm(name, {}, 0.0) for name in CATEGORICAL])


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("age", np.int64(41)),
        ("balance", np.float32(12.5)),
        ("nb_contact", np.uint8(2)),
        ("age", 41.0),
        ("has_default", True),
        ("job_type", "Technicien"),
    ],
)
def test_numpy_numbers_and_plain_values_are_accepted_everywhere(name, value):
    features = {**FEATURES, name: value}
    check_values({name: value}, [name])
    Customer(date(2008, 6, 1), features)
    zero_scorer().predict_one({**features, **MONTH})
    zero_scorer().predict_many([{**features, **MONTH}])
    feature_frame([{**features, **MONTH}])


@pytest.mark.parametrize(
    ("name", "value", "kind"),
    [
        ("has_default", np.bool_(True), "a boolean"),
        ("has_default", 1, "a boolean"),
        ("age", True, "a number"),
        ("age", np.bool_(False), "a number"),
        ("age", "41", "a number"),
        ("job_type", 3, "a string"),
    ],
)
def test_the_same_values_are_refused_everywhere_with_the_same_message(name, value, kind):
    features = {**FEATURES, name: value}
    message = f"feature '{name}': .* is not {kind} or None"
    attempts = [
        lambda: check_values({name: value}, [name]),
        lambda: Customer(date(2008, 6, 1), features),
        lambda: zero_scorer().predict_one({**features, **MONTH}),
        lambda: zero_scorer().predict_many([{**features, **MONTH}]),
        lambda: feature_frame([{**features, **MONTH}]),
    ]
    for attempt in attempts:
        with pytest.raises(ValueError, match=message):
            attempt()
