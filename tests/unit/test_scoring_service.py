"""The use cases without HTTP: the service the root's `web_worker` builds around fakes."""

import math
from datetime import date, timedelta

import pytest

from chaos.application.model_registry import UnknownModel
from chaos.bootstrap import socio_eco_reads, web_worker
from chaos.domain.calibration import uncalibrated
from chaos.domain.customer import Customer, NoIndicatorsForDate
from chaos.domain.features import CUSTOMER_FEATURES
from chaos.domain.freshness import StaleIndicators
from chaos.domain.model_store import ModelLoadError
from chaos.domain.repositories import IndicatorsUnavailable, PastContact
from chaos.domain.socio_eco import SocioEcoIndicators
from chaos.entrypoints.web.appetence_schema import EXAMPLE_REQUEST
from chaos.entrypoints.web.health_routes import describe_freshness
from chaos.infrastructure.api_keys import key_hash
from chaos.infrastructure.config import Settings
from chaos.infrastructure.config.settings import ApiSettings, ModelSettings, SocioEcoSettings
from chaos.infrastructure.db.cached_socio_eco_repository import CachedSocioEcoRepository
from tests.fakes import (
    VOCABULARY,
    FakeScoringModel,
    InMemoryCalibrationStore,
    InMemoryContactLog,
    InMemorySocioEcoRepository,
    last_month,
    stored_calibrations,
)

MAY = SocioEcoIndicators(date(2008, 5, 31), 1.1, 93.9, -36.4)
FEATURES = {name: EXAMPLE_REQUEST[name] for name in CUSTOMER_FEATURES}


class RecordedMetrics:
    def __init__(self):
        self.events = []
        self.reporting: list[str] = []

    def model_loaded(self, version, role):
        self.events.append(("model", version, role))

    def model_swapped(self, old, new):
        self.events.append(("swap", old, new))

    def model_refresh_failed(self, reason):
        self.events.append(("refresh failed",))

    def keys_reloaded(self, result):
        self.events.append(("keys", result))

    def scores_returned(self, version, scores):
        self.events.append(("scores", version, list(scores)))

    def campaign_scored(self, rows):
        self.events.append(("campaign", rows))

    def rows_unscored(self, reason, rows):
        self.events.append(("unscored", reason, rows))

    def cache_lookup(self, hit):
        self.events.append(("cache", hit))

    def socio_eco_read(self, operation, seconds, failed):
        self.events.append(("read", operation, failed))

    def calibration_refreshed(self, version, day, calibration):
        self.events.append(("calibration", version, day, calibration.shift))

    def socio_eco_age(self, days):
        self.events.append(("age", days))

    def outcomes_written(self, key_id, statuses):
        self.events.append(("outcomes", key_id, dict(statuses)))

    def outcomes_refused(self, key_id, reasons):
        self.events.append(("refused", key_id, dict(reasons)))

    def reporting_keys(self, key_ids):
        self.reporting = list(key_ids)


@pytest.fixture
def metrics():
    return RecordedMetrics()


@pytest.fixture
def repository():
    return InMemorySocioEcoRepository([MAY])


def service_for(repository, metrics, **fakes):
    model = fakes.pop("model", FakeScoringModel(version="v1"))
    return web_worker(Settings(), model=model, repository=repository, metrics=metrics, **fakes).service


def test_one_customer_is_scored_with_the_month_and_counted(repository, metrics):
    service = service_for(repository, metrics)
    result = service.score_one(Customer(date(2008, 6, 10), FEATURES), service.model(None))
    assert (result.appetence, result.model_version, result.socio_eco_date) == (0.25, "v1", MAY.date)
    assert metrics.events == [
        ("model", "v1", "default"),
        ("calibration", "v1", date(2008, 6, 10), 0.0),  # no call log given: no shift, and it says so
        ("scores", "v1", [0.25]),
    ]


def test_only_the_keys_that_may_report_outcomes_get_their_report_series(repository, metrics):
    reporter, scorer = key_hash("a-key-that-reports"), key_hash("a-key-that-scores")
    api = ApiSettings(keys=[{"hash": reporter, "scopes": ["report_outcomes"], "id": "crm"}, scorer])
    web_worker(Settings(api=api), model=FakeScoringModel(), repository=repository, metrics=metrics)
    assert metrics.reporting == ["crm"]


def test_a_campaign_comes_back_whole_with_the_rows_it_cannot_score_counted(repository, metrics):
    service = service_for(repository, metrics)
    customers = [Customer(date(2008, 6, 10), FEATURES), Customer(date(2008, 1, 10), FEATURES)]
    scored, unscored = service.score_campaign(customers, service.model(None))
    assert scored.appetence == 0.25
    assert isinstance(unscored, NoIndicatorsForDate) and unscored.contact_date == date(2008, 1, 10)
    assert metrics.events[-3:] == [
        ("scores", "v1", [0.25]),
        ("unscored", "no-indicators", 1),
        ("campaign", 2),
    ]


def test_freshness_is_the_newest_month_and_its_age_reported_to_the_metrics(repository, metrics):
    service = service_for(repository, metrics)
    freshness = service.freshness(today=date(2008, 8, 1))
    assert (freshness.newest_month, freshness.age_days, freshness.max_age_days) == (MAY.date, 62, 62)
    assert describe_freshness(freshness) == "newest complete month 2008-05-31, 62 days old, limit 62: fresh"
    assert metrics.events[-1] == ("age", 62)
    assert "STALE" in describe_freshness(service.freshness(today=date(2008, 8, 2)))


def test_the_freshness_limit_comes_from_the_settings(repository, metrics):
    service = web_worker(
        Settings(socio_eco=SocioEcoSettings(max_age_days=5)),
        model=FakeScoringModel(),
        repository=repository,
        metrics=metrics,
    ).service
    with pytest.raises(StaleIndicators):
        service.score_one(Customer(date(2008, 6, 6), FEATURES), service.model(None))
    assert (
        service.score_one(Customer(date(2008, 6, 5), FEATURES), service.model(None)).socio_eco_date
        == MAY.date
    )


def test_a_version_that_does_not_exist_names_the_ones_that_do(repository, metrics, tmp_path):
    settings = Settings(model=ModelSettings(directory=tmp_path))  # not ./var/models, which `make run` fills
    model = FakeScoringModel(version="v1")
    service = web_worker(settings, model=model, repository=repository, metrics=metrics).service
    with pytest.raises(UnknownModel) as unknown:
        service.model("20990101T000000Z")
    assert unknown.value.versions == []


def test_a_default_model_without_labels_cannot_start(repository, metrics):
    unlabelled = FakeScoringModel(vocabulary={**VOCABULARY, "contact": []})
    with pytest.raises(ModelLoadError, match=r"incompatible: .*no labels for \['contact'\]"):
        service_for(repository, metrics, model=unlabelled)


def test_readiness_uses_the_given_ping(repository, metrics):
    def refuse():
        raise IndicatorsUnavailable("down")

    with pytest.raises(IndicatorsUnavailable):
        service_for(repository, metrics, ping=refuse).check_database()
    service_for(repository, metrics).check_database()


def test_live_reads_are_measured_inside_the_cache(repository, metrics):
    settings = Settings(socio_eco=SocioEcoSettings(cache_ttl_seconds=60))
    reads = socio_eco_reads(repository, settings, metrics)
    assert isinstance(reads, CachedSocioEcoRepository)
    reads.as_of(date(2008, 6, 20))
    reads.as_of(date(2008, 6, 20))
    assert metrics.events == [("cache", False), ("read", "as_of", False), ("cache", True)]
    assert repository.reads == 1


def outcomes(day: date, contacts: int, subscribed: int) -> list[PastContact]:
    return [PastContact(day, FEATURES, i < subscribed) for i in range(contacts)]


def test_the_score_is_calibrated_by_the_stored_calibration_of_its_day(repository, metrics):
    repository.rows.append(last_month())  # fresh indicators for a contact today
    """The model says 10%; the 7 days before today saw 25% subscribe: the answer is 25%, the same day's
    outcomes (all subscribed) are not known yet and change nothing, and the gauges get today's shift."""
    today = date.today()
    log = InMemoryContactLog(
        outcomes(today - timedelta(days=3), 20, 5)
        + outcomes(today - timedelta(days=1), 20, 5)
        + outcomes(today, 50, 50)
        + outcomes(today - timedelta(days=8), 100, 0)
    )
    model = FakeScoringModel(scorer=lambda features: 0.1, version="v1")
    store = stored_calibrations([model], log, repository, today, today + timedelta(days=1))
    service = service_for(repository, metrics, model=model, calibrations=store)
    result = service.score_one(Customer(today, FEATURES), model)
    assert result.appetence == pytest.approx(0.25, abs=1e-12)
    calibration = result.calibration
    assert (calibration.window_days, calibration.contacts, calibration.observed_rate) == (7, 40, 0.25)
    assert (calibration.since, calibration.until) == (today - timedelta(days=7), today - timedelta(days=1))
    assert calibration.shift == pytest.approx(math.log(0.25 / 0.75) - math.log(0.1 / 0.9), abs=1e-12)
    assert not calibration.stale
    assert ("calibration", "v1", today, calibration.shift) in metrics.events
    service.score_one(Customer(today, FEATURES), model)
    assert store.reads == 1  # one row per (model, day), then the worker's cache


def test_a_missing_or_corrupt_row_is_a_flagged_fallback_never_an_error(repository, metrics):
    repository.rows.append(last_month())
    today = date.today()
    model = FakeScoringModel(scorer=lambda features: 0.1, version="v1")
    log = InMemoryContactLog(outcomes(today - timedelta(days=3), 40, 10))
    store = stored_calibrations([model], log, repository, today - timedelta(days=2))
    earlier = service_for(repository, metrics, model=model, calibrations=store)
    result = earlier.score_one(Customer(today, FEATURES), model).calibration
    assert result.stale and result.outcomes_age_days == 3 and result.observed_rate == 0.25
    assert result.shift == store.rows[("v1", today - timedelta(days=2))].shift
    store.corrupt.add(("v1", today - timedelta(days=2)))
    corrupt = service_for(repository, metrics, model=model, calibrations=store).score_one(
        Customer(today, FEATURES), model
    )
    assert corrupt.calibration == uncalibrated(day=today) and corrupt.appetence == pytest.approx(0.1)
    missing = service_for(repository, metrics, model=model, calibrations=InMemoryCalibrationStore())
    assert missing.score_one(Customer(today, FEATURES), model).calibration == uncalibrated()
    assert missing.calibration_today().stale
