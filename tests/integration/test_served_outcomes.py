"""The served record joined with the outcomes on a real PostgreSQL: each contact's last answer per
day and model version meets its resolved outcome by contact id and day (a pending one, another day's
or no outcome at all: nothing), and the monitor records such a day as measured from the served record."""

from datetime import UTC, date, datetime, timedelta

import pytest

from chaos.application.monitoring import Sources, measure
from chaos.application.stores import GivenStores
from chaos.domain.calibration import uncalibrated
from chaos.domain.outcome import Outcome
from chaos.domain.performance import MeasureSource
from chaos.domain.reported_outcome import Call, ReportedOutcome
from chaos.domain.served_record import ServedOutcome, ServedScore
from chaos.entrypoints.web.appetence_schema import EXAMPLE_REQUEST
from chaos.infrastructure.db.contact_log import SqlContactLog
from chaos.infrastructure.db.outcome_book import SqlOutcomeBook
from chaos.infrastructure.db.performance_log import SqlPerformanceLog
from chaos.infrastructure.db.served_outcomes import SqlServedOutcomes
from chaos.infrastructure.db.served_record import SqlServedRecord
from chaos.infrastructure.db.socio_eco_repository import SqlSocioEcoRepository
from tests.fakes import FakeScoringModel, FixedCalibrations
from tests.support.reporting import KEY, reports_on

DAY = date(2009, 6, 10)
SERVED_AT = datetime(2009, 6, 9, 18, tzinfo=UTC)


def answer(contact_id: int, probability: float, version: str = "v1", day: date = DAY, later: int = 0):
    return ServedScore(
        contact_id, day, version, None, None, 0.25, 1.0, 0.0, True, -1.0, probability, "marketing",
        SERVED_AT + timedelta(minutes=later),
    )  # fmt: skip


@pytest.fixture
def reported(engine):
    """Outcomes of DAY reported for contacts 1 to 4 (3 still pending), then what was served."""
    outcomes = {1: Outcome.SUBSCRIBED, 2: Outcome.REFUSED, 3: Outcome.PENDING, 4: Outcome.ABSENT}
    reports_on(GivenStores(SqlSocioEcoRepository(engine), outcomes=SqlOutcomeBook(engine))).record(
        KEY, [ReportedOutcome(i, status, Call(DAY, dict(EXAMPLE_REQUEST))) for i, status in outcomes.items()]
    )
    SqlServedRecord(engine).append(
        [
            answer(1, 0.20),
            answer(1, 0.30, later=5),  # scored again: the caller acted on this one
            answer(1, 0.40, version="v2"),
            answer(2, 0.10),
            answer(2, 0.90, day=DAY - timedelta(days=1)),  # scored for another day: not this call
            answer(3, 0.50),  # pending: not measured yet
            answer(5, 0.60),  # no outcome reported
        ]
    )
    return engine


def test_each_last_answer_meets_its_resolved_outcome_by_contact_id_and_day(reported):
    found = SqlServedOutcomes(reported).between(DAY - timedelta(days=7), DAY)
    assert sorted(found, key=lambda score: (score.model_version, score.probability)) == [
        ServedOutcome("v1", DAY, -0.75, 0.10, False),
        ServedOutcome("v1", DAY, -0.75, 0.30, True),
        ServedOutcome("v2", DAY, -0.75, 0.40, True),
    ]
    assert SqlServedOutcomes(reported).between(DAY + timedelta(days=1), DAY + timedelta(days=7)) == []


def test_the_monitor_records_the_day_from_the_served_record(reported):
    sources = Sources(
        SqlContactLog(reported),
        SqlSocioEcoRepository(reported),
        FixedCalibrations(uncalibrated()),
        SqlServedOutcomes(reported),
    )
    measures = measure(FakeScoringModel(version="v1"), sources, 3, DAY + timedelta(days=1), None)
    SqlPerformanceLog(reported).record(measures)
    recorded = {day.model_version: day for day in SqlPerformanceLog(reported).history(DAY)}
    assert set(recorded) == {"v1", "v2"}
    v1 = recorded["v1"]
    assert (v1.source, v1.contacts, v1.observed_rate, v1.roc_auc) == (MeasureSource.SERVED, 2, 0.5, 1.0)
    assert v1.mean_prediction == pytest.approx(0.2, abs=1e-12)
    assert v1.brier == pytest.approx((0.1**2 + 0.7**2) / 2, abs=1e-12)
