"""The request schema's policy tables cover exactly the domain's feature list."""

import pytest

from chaos.domain.features import CATEGORICAL, CUSTOMER_FEATURES
from chaos.entrypoints.web.appetence_schema import EXAMPLE_REQUEST, REQUIRED, AppetenceSchema
from tests.fakes import VOCABULARY


def test_required_fields_are_customer_features():
    assert REQUIRED.issubset(CUSTOMER_FEATURES)


def test_the_example_names_every_feature():
    assert set(EXAMPLE_REQUEST) == set(CUSTOMER_FEATURES)


@pytest.mark.parametrize("name", CATEGORICAL)
def test_a_model_without_labels_for_a_feature_cannot_be_served(name):
    with pytest.raises(ValueError, match=name):
        AppetenceSchema({**VOCABULARY, name: []})
