"""Customer: validated features in, appetence out, through the repository and model ports (fakes)."""

import math
from datetime import date

import pytest

from chaos.domain.calibration import Calibration, sigmoid
from chaos.domain.customer import Customer, NoIndicatorsForDate
from chaos.domain.features import CUSTOMER_FEATURES, MODEL_FEATURES, NUMERIC, RANGES
from chaos.domain.repositories import IndicatorsUnavailable
from chaos.domain.socio_eco import SocioEcoIndicators
from tests.fakes import FakeScoringModel, FixedCalibrations, InMemorySocioEcoRepository

MAY = SocioEcoIndicators(date(2008, 5, 31), 1.1, 93.994, -36.4)
JULY = SocioEcoIndicators(date(2008, 7, 31), 1.4, 93.918, -42.7)
INCOMPLETE_AUGUST = SocioEcoIndicators(date(2008, 8, 31), 1.4, None, -36.1)
NO_SHIFT = FixedCalibrations()

FEATURES = {
    "job_type": "Manager",
    "status": "Marié",
    "education": None,
    "contact": "Portable",
    "result_last_campaign": None,
    "has_default": False,
    "has_housing_loan": True,
    "has_perso_loan": None,
    "age": 58,
    "balance": 2143,
    "nb_contact": 1,
    "nb_day_last_contact": -1,
    "nb_contact_last_campaign": 0,
}


def by_employment(features):
    """A fake score that moves with the month's indicators."""
    return (features["employment_variation_rate"] + 2) / 10


def customer(contact_date=date(2008, 8, 15), **changes):
    return Customer(contact_date, {**FEATURES, **changes})


def test_appetence_scores_features_with_the_as_of_indicators():
    model = FakeScoringModel(scorer=by_employment)
    repository = InMemorySocioEcoRepository([MAY, JULY, INCOMPLETE_AUGUST])

    result = customer().appetence(repository, model, NO_SHIFT)

    assert result.socio_eco_date == date(2008, 7, 31)  # August is incomplete: the rule falls back to July
    assert result.appetence == pytest.approx(0.34)
    assert result.model_version == "fake-1"
    (given,) = model.seen
    assert set(given) == set(MODEL_FEATURES)
    assert given == {**FEATURES, **JULY.as_features()}


def test_the_score_is_the_log_odds_shifted_by_the_calibration_of_the_contact_day():
    shift = Calibration(0.75, 7, date(2008, 8, 8), date(2008, 8, 14), 120, 0.2)
    calibrations = FixedCalibrations(shift)
    result = customer().appetence(InMemorySocioEcoRepository([JULY]), FakeScoringModel(), calibrations)
    assert result.log_odds == pytest.approx(math.log(0.25 / 0.75))
    assert result.appetence == sigmoid(result.log_odds + 0.75)
    assert result.calibration is shift and calibrations.days == [date(2008, 8, 15)]


def test_a_change_of_indicators_changes_the_score():
    model = FakeScoringModel(scorer=by_employment)
    repository = InMemorySocioEcoRepository([MAY])
    before = customer(date(2008, 6, 2)).appetence(repository, model, NO_SHIFT).appetence
    repository.rows = [SocioEcoIndicators(MAY.date, -1.8, 92.0, -40.0)]
    assert customer(date(2008, 6, 2)).appetence(repository, model, NO_SHIFT).appetence != before


def test_no_indicators_before_the_date_names_the_known_range():
    repository = InMemorySocioEcoRepository([MAY, JULY])
    with pytest.raises(NoIndicatorsForDate) as raised:
        customer(date(2008, 5, 31)).appetence(repository, FakeScoringModel(), NO_SHIFT)
    assert raised.value.known_range == (MAY.date, JULY.date)
    assert raised.value.earliest_date == date(2008, 6, 1)
    assert "2008-05-31 to 2008-07-31" in str(raised.value)


def test_serving_applies_the_publication_lag_the_model_was_trained_with():
    repository = InMemorySocioEcoRepository([MAY, JULY])
    lagged = FakeScoringModel(publication_lag_days=10)
    assert customer(date(2008, 8, 11)).appetence(repository, lagged, NO_SHIFT).socio_eco_date == JULY.date
    assert customer(date(2008, 8, 10)).appetence(repository, lagged, NO_SHIFT).socio_eco_date == MAY.date
    with pytest.raises(NoIndicatorsForDate) as raised:
        customer(date(2008, 6, 10)).appetence(repository, lagged, NO_SHIFT)
    assert raised.value.earliest_date == date(2008, 6, 11)


def test_an_empty_table_says_so():
    with pytest.raises(NoIndicatorsForDate, match="no complete month") as raised:
        customer().appetence(InMemorySocioEcoRepository(), FakeScoringModel(), NO_SHIFT)
    assert raised.value.earliest_date is None


def test_an_unreachable_store_propagates_and_nothing_is_scored():
    repository = InMemorySocioEcoRepository([MAY])
    repository.available = False
    model = FakeScoringModel()
    with pytest.raises(IndicatorsUnavailable):
        customer().appetence(repository, model, NO_SHIFT)
    assert model.seen == []


@pytest.mark.parametrize("score", [float("nan"), float("inf"), "0.3", True])
def test_a_model_answer_that_is_not_finite_log_odds_is_refused_rather_than_served(score):
    with pytest.raises(ValueError, match="not finite log-odds"):
        customer().appetence(
            InMemorySocioEcoRepository([MAY]), FakeScoringModel(scorer=lambda _: score), NO_SHIFT
        )


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"age": "58"}, "'age'"),
        ({"age": True}, "'age'"),
        ({"has_default": 1}, "'has_default'"),
        ({"job_type": 3}, "'job_type'"),
    ],
)
def test_features_of_the_wrong_kind_are_refused(changes, message):
    with pytest.raises(ValueError, match=message):
        customer(**changes)


def test_every_numeric_feature_has_a_range():
    assert set(RANGES) == set(NUMERIC)
    assert all(low < high for low, high in RANGES.values())


@pytest.mark.parametrize("age", [18, 120, None])
def test_an_age_within_its_range_or_unknown_is_accepted(age):
    assert customer(age=age).features["age"] == age


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"age": 5}, r"feature 'age': 5 is out of range \[18, 120\]"),
        ({"age": 121}, r"feature 'age': 121 is out of range \[18, 120\]"),
        ({"age": math.nan}, r"feature 'age': nan is out of range \[18, 120\]"),
        ({"nb_contact": 0}, r"feature 'nb_contact': 0 is out of range \[1, 1000\]"),
        ({"nb_day_last_contact": -2}, r"feature 'nb_day_last_contact': -2 is out of range \[-1, 10000\]"),
        ({"balance": 10**9}, r"feature 'balance': 1000000000 is out of range"),
        ({"nb_contact_last_campaign": 1001}, r"feature 'nb_contact_last_campaign': 1001 is out of range"),
    ],
)
def test_a_customer_refuses_a_number_out_of_its_range_itself(changes, message):
    with pytest.raises(ValueError, match=message):
        customer(**changes)


def test_missing_or_unknown_feature_names_are_refused():
    features = {name: FEATURES[name] for name in CUSTOMER_FEATURES if name != "age"}
    with pytest.raises(ValueError, match=r"missing \['age'\], unknown \['duration_contact'\]"):
        Customer(date(2008, 5, 5), {**features, "duration_contact": 261})


def test_features_cannot_be_changed_after_validation():
    frozen = customer()
    with pytest.raises(TypeError):
        frozen.features["age"] = "old"
