"""`chaos monitor` against PostgreSQL: reported outcomes scored as served, the figures recorded per
(model version, day), and the `/metrics` gauges read from them."""

import math
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from prometheus_client.parser import text_string_to_metric_families

from chaos.application.monitoring import Sources, measure
from chaos.application.stored_calibrations import StoredCalibrations
from chaos.application.stores import GivenStores
from chaos.bootstrap import web_worker
from chaos.domain.calibration import DEFAULT_POLICY, Calibration
from chaos.domain.outcome import Outcome
from chaos.domain.reported_outcome import Call, ReportedOutcome
from chaos.entrypoints.web.app_factory import create_app
from chaos.entrypoints.web.appetence_schema import EXAMPLE_REQUEST
from chaos.infrastructure.db.calibration_store import SqlCalibrationStore
from chaos.infrastructure.db.contact_log import SqlContactLog
from chaos.infrastructure.db.outcome_book import SqlOutcomeBook
from chaos.infrastructure.db.performance_log import SqlPerformanceLog
from chaos.infrastructure.db.socio_eco_repository import SqlSocioEcoRepository
from chaos.infrastructure.db.tables import model_performance, socio_eco
from tests.fakes import FakeScoringModel
from tests.support.database import settings_on
from tests.support.reporting import KEY, reports_on
from tests.web_clients import TEST_KEY, keyed_client

TODAY = date.today()
YESTERDAY = TODAY - timedelta(days=1)


def by_age(features) -> float:
    return features["age"] / 100


@pytest.fixture
def measured_engine(engine):
    """Indicators for the last months, and yesterday's outcomes reported by a marketing tool."""
    month_end = TODAY.replace(day=1) - timedelta(days=1)
    months = [month_end, month_end.replace(day=1) - timedelta(days=1)]
    with engine.begin() as connection:
        connection.execute(
            sa.insert(socio_eco),
            [
                {
                    "date": d,
                    "employment_variation_rate": 1.1,
                    "idx_consumer_price": 93.9,
                    "idx_consumer_confidence": -36.4,
                }
                for d in months
            ],
        )
    reports = reports_on(GivenStores(SqlSocioEcoRepository(engine), outcomes=SqlOutcomeBook(engine)))
    reports.record(
        KEY,
        [
            ReportedOutcome(
                i,
                Outcome.SUBSCRIBED if age >= 50 else Outcome.REFUSED,
                Call(YESTERDAY, {**EXAMPLE_REQUEST, "age": age}),
            )
            for i, age in enumerate([25, 35, 45, 55, 65, 30])
        ]
        + [ReportedOutcome(99, Outcome.PENDING, Call(YESTERDAY, dict(EXAMPLE_REQUEST)))],
    )
    return engine


def test_reported_outcomes_are_measured_recorded_and_exposed(measured_engine, database_settings):
    engine = measured_engine
    log, indicators, store = SqlContactLog(engine), SqlSocioEcoRepository(engine), SqlCalibrationStore(engine)
    served = Calibration(0.5, 7, YESTERDAY, YESTERDAY, 40, 0.3, YESTERDAY, slope=0.9, offset=-0.1)
    store.save("fake-1", DEFAULT_POLICY, {YESTERDAY: served})
    stored = StoredCalibrations(GivenStores(indicators, calibrations=store), ttl_seconds=0)
    sources = Sources(log, indicators, stored)
    (measured,) = measure(
        FakeScoringModel(scorer=by_age),
        sources,
        days=7,
        today=TODAY,
        max_age_days=None,
    )
    assert (measured.day, measured.contacts) == (YESTERDAY, 6)  # the pending contact does not count
    ages = [25, 35, 45, 55, 65, 30]  # scored with the stored calibration, as pods served them
    assert measured.mean_prediction == pytest.approx(
        sum(served.probability(math.log(age / (100 - age))) for age in ages) / len(ages)
    )
    assert measured.observed_rate == pytest.approx(2 / 6)
    assert measured.roc_auc == 1.0
    assert measured.calibration_slope is None  # the subscribers are the oldest: separated, no finite fit
    performance = SqlPerformanceLog(engine)
    performance.record([measured])
    performance.record([measured])  # the same day again replaces it
    assert performance.latest() == [measured]
    assert performance.history(YESTERDAY) == [measured]
    with engine.connect() as connection:
        assert connection.scalar(sa.select(sa.func.count()).select_from(model_performance)) == 1

    app = create_app(web_worker(settings_on(database_settings), model=FakeScoringModel()))
    try:
        text = keyed_client(app, TEST_KEY).get("/metrics").get_data(as_text=True)
        page = keyed_client(app, TEST_KEY).get("/monitoring").get_data(as_text=True)
    finally:
        app.extensions["chaos"].service.stores.engine.dispose()
    samples = {
        (sample.name, sample.labels.get("figure")): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.labels.get("model_version") == "fake-1"
    }
    assert samples[("chaos_served_performance", "brier_skill")] == pytest.approx(measured.brier_skill)
    assert samples[("chaos_served_performance", "contacts")] == 6
    assert f"<td>fake-1</td><td>{YESTERDAY}</td><td>6</td>" in page
