"""`chaos monitor`'s measure: resolved contacts scored as served (the day's calibration through the
port, contacts serving refused left out), and each day's figures against their definitions."""

from datetime import date, timedelta

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, roc_auc_score

from chaos.application.monitoring import Sources, measure
from chaos.domain.calibration import Calibration
from chaos.domain.performance import MeasureSource
from chaos.domain.repositories import PastContact
from chaos.domain.served_figures import day_performance
from chaos.domain.served_record import ServedOutcome
from chaos.domain.socio_eco import SocioEcoIndicators
from chaos.entrypoints.web.appetence_schema import EXAMPLE_REQUEST
from tests.fakes import (
    FakeScoringModel,
    FixedCalibrations,
    InMemoryContactLog,
    InMemoryServedOutcomes,
    InMemorySocioEcoRepository,
)

TODAY = date(2008, 7, 20)
JUNE = SocioEcoIndicators(date(2008, 6, 30), 1.1, 93.9, -36.4)
SHIFT = Calibration(0.5, 7, date(2008, 7, 1), date(2008, 7, 7), 40, 0.2)


def contact(day: date, age: int, subscribed: bool) -> PastContact:
    return PastContact(day, {**EXAMPLE_REQUEST, "age": age}, subscribed)


def by_age(features) -> float:
    return features["age"] / 100


def sources(contacts, rows=(JUNE,)) -> tuple[Sources, FixedCalibrations]:
    calibrations = FixedCalibrations(SHIFT)
    return Sources(InMemoryContactLog(contacts), InMemorySocioEcoRepository(rows), calibrations), calibrations


def measured_by_age(given: Sources, max_age_days: int | None = None):
    """The last three days measured, the model scoring by age."""
    return measure(FakeScoringModel(scorer=by_age), given, days=3, today=TODAY, max_age_days=max_age_days)


def test_each_day_is_scored_as_served_with_its_calibration():
    day = TODAY - timedelta(days=1)
    given, calibrations = sources([contact(day, 20, False), contact(day, 60, True), contact(day, 40, False)])
    (measured,) = measured_by_age(given)
    logit = np.log(np.array([0.2, 0.6, 0.4]) / (1 - np.array([0.2, 0.6, 0.4])))
    served = 1 / (1 + np.exp(-(logit + SHIFT.shift)))
    target = np.array([False, True, False])
    assert calibrations.days == [day]
    assert measured.contacts == 3
    assert measured.mean_prediction == pytest.approx(served.mean(), abs=1e-12)
    assert measured.brier == pytest.approx(brier_score_loss(target, served), abs=1e-12)
    assert measured.calibration_in_the_large == pytest.approx(1 / 3 - served.mean(), abs=1e-12)
    assert measured.brier_skill == pytest.approx(1 - measured.brier / (1 / 3 * 2 / 3), abs=1e-12)
    assert measured.roc_auc == 1.0
    assert measured.calibration_slope is None  # ranked perfectly: separated, no finite fit


def test_contacts_serving_refused_and_days_outside_are_left_out():
    inside, outside = TODAY - timedelta(days=2), TODAY - timedelta(days=30)
    given, _ = sources([contact(outside, 30, True), contact(inside, 30, True), contact(inside, 50, False)])
    (measured,) = measured_by_age(given)
    assert (measured.day, measured.contacts) == (inside, 2)
    stale, _ = sources([contact(inside, 30, True)])
    assert measured_by_age(stale, max_age_days=10) == []


def test_a_day_with_recorded_answers_is_measured_on_them_as_they_were_served():
    day, earlier = TODAY - timedelta(days=1), TODAY - timedelta(days=2)
    log = [
        contact(day, 20, False),
        contact(day, 60, True),
        contact(earlier, 40, True),
        contact(earlier, 30, False),
    ]
    given, calibrations = sources(log)
    answers = [ServedOutcome("fake-1", day, 0.0, p, y) for p, y in ((0.3, False), (0.7, True), (0.6, False))]
    recorded = Sources(given.contacts, given.indicators, calibrations, InMemoryServedOutcomes(answers))
    by_day = {measured.day: measured for measured in measured_by_age(recorded)}
    served = by_day[day]
    assert served.source is MeasureSource.SERVED
    assert served.contacts == 3  # the answers recorded, not the call log's two contacts of the day
    assert served.mean_prediction == pytest.approx(np.mean([0.3, 0.7, 0.6]), abs=1e-12)
    assert served.brier == pytest.approx(brier_score_loss([False, True, False], [0.3, 0.7, 0.6]), abs=1e-12)
    # the day no answer was recorded for is scored again as served, and says so
    assert by_day[earlier].source is MeasureSource.RESCORED and by_day[earlier].contacts == 2


def test_each_version_that_answered_a_day_is_measured_on_its_own_answers():
    day = TODAY - timedelta(days=1)
    given, calibrations = sources([contact(day, 20, False)])
    answers = [
        ServedOutcome("champion", day, 0.0, 0.2, False),
        ServedOutcome("champion", day, 0.0, 0.8, True),
        ServedOutcome("challenger", day, 0.0, 0.4, True),
    ]
    recorded = Sources(given.contacts, given.indicators, calibrations, InMemoryServedOutcomes(answers))
    measured = {m.model_version: m for m in measured_by_age(recorded)}
    assert set(measured) == {"champion", "challenger"}
    assert (measured["champion"].contacts, measured["champion"].roc_auc) == (2, 1.0)
    assert (measured["challenger"].contacts, measured["challenger"].mean_prediction) == (1, 0.4)


def test_the_figures_follow_their_definitions():
    rng = np.random.default_rng(3)
    days = np.array(
        [date(2008, 7, 1) + timedelta(days=int(d)) for d in rng.integers(0, 10, 400)], "datetime64[D]"
    )
    probability = rng.uniform(0.01, 0.99, 400)
    target = rng.uniform(size=400) < probability
    day = date(2008, 7, 9)
    measured = day_performance("m", day, target, probability, days, MeasureSource.SERVED)
    today = days == np.datetime64(day)
    window = (days > np.datetime64(day) - 7) & (days <= np.datetime64(day))
    assert measured.contacts == int(today.sum())
    assert measured.brier == pytest.approx(brier_score_loss(target[today], probability[today]))
    assert measured.roc_auc == pytest.approx(roc_auc_score(target[window], probability[window]))
    log_odds = np.log(probability[today] / (1 - probability[today])).reshape(-1, 1)
    exact = LogisticRegression(C=np.inf, solver="newton-cholesky", tol=1e-12).fit(log_odds, target[today])
    assert measured.calibration_slope == pytest.approx(exact.coef_[0, 0], rel=0, abs=1e-9)
    assert 0.4 < measured.within_day_auc < 1


def test_a_day_of_one_class_has_no_skill_nor_slope():
    days = np.array(["2008-07-09"] * 3, "datetime64[D]")
    measured = day_performance(
        "m",
        date(2008, 7, 9),
        np.array([False] * 3),
        np.array([0.1, 0.2, 0.3]),
        days,
        MeasureSource.RESCORED,
    )
    assert (measured.brier_skill, measured.calibration_slope, measured.roc_auc) == (None, None, None)
