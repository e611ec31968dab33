"""What an answer says about its score: the calibration used, `?explain=true`, the model report and
the calibration gauges, on a real saved model with an in-memory call log."""

import math
from datetime import date, timedelta

import numpy as np
import pytest

from chaos.bootstrap import web_worker
from chaos.domain.calibration import DEFAULT_POLICY, Calibration, SlopeSource
from chaos.domain.features import CUSTOMER_FEATURES, MODEL_FEATURES
from chaos.domain.repositories import PastContact
from chaos.domain.socio_eco import SocioEcoIndicators
from chaos.entrypoints.web.app_factory import create_app
from chaos.entrypoints.web.appetence_schema import EXAMPLE_REQUEST
from chaos.infrastructure.config import Settings
from chaos.infrastructure.config.settings import ModelSettings
from chaos.infrastructure.models.publishing import ArtifactPublisher
from chaos.infrastructure.training.frame import feature_frame
from tests.artifacts import save_model
from tests.fakes import (
    InMemoryCalibrationStore,
    InMemoryContactLog,
    InMemorySocioEcoRepository,
    last_month,
    stored_calibrations,
)
from tests.web_clients import keyed_client

MAY = SocioEcoIndicators(date(2008, 5, 31), 1.1, 93.9, -36.4)
DAY = date(2008, 6, 20)
CUSTOMER = {name: EXAMPLE_REQUEST[name] for name in CUSTOMER_FEATURES} | {"job_type": "Manager"}


def past(day: date, contacts: int, subscribed: int) -> list[PastContact]:
    return [PastContact(day, CUSTOMER, i < subscribed) for i in range(contacts)]


@pytest.fixture
def served(tmp_path):
    version = save_model(tmp_path, champion=True)
    log = InMemoryContactLog(past(DAY - timedelta(days=2), 40, 30) + past(DAY, 10, 0))
    settings = Settings(model=ModelSettings(directory=tmp_path))
    repository = InMemorySocioEcoRepository([MAY])
    stored = stored_calibrations(
        [ArtifactPublisher(tmp_path).load(version)], log, repository, DAY, DAY + timedelta(days=30)
    )
    app = create_app(web_worker(settings, repository=repository, calibrations=stored))
    return keyed_client(app), ArtifactPublisher(tmp_path), version


def test_the_answer_says_which_calibration_it_used(served):
    client, _, _ = served
    response = client.post("/appetence", json={**CUSTOMER, "date": str(DAY)})
    assert response.status_code == 200, response.json
    assert "explanation" not in response.json
    calibration = response.json["calibration"]
    assert calibration["window_days"] == 7 and calibration["contacts"] == 40
    assert calibration["observed_rate"] == 0.75
    assert (calibration["since"], calibration["until"]) == ("2008-06-13", "2008-06-19")
    assert calibration["shift"] > 0
    assert (calibration["stale"], calibration["newest_outcome"], calibration["outcomes_age_days"]) == (
        False,
        "2008-06-18",
        2,
    )


def test_the_calibrated_score_equals_the_reference_pipeline_shifted(served):
    """The saved scikit-learn pipeline is the reference: its log-odds, plus the shift, through the sigmoid."""
    client, store, version = served
    response = client.post("/appetence", json={**CUSTOMER, "date": str(DAY)}).json
    model = store.load(version)
    inputs = {**CUSTOMER, **MAY.as_features()}
    reference = model.pipeline.decision_function(feature_frame([inputs]))[0]
    expected = 1 / (1 + math.exp(-(reference + response["calibration"]["shift"])))
    assert abs(response["appetence"] - expected) <= 1e-9
    # the shift makes the model's mean prediction over the window equal to the observed rate
    window = [{**contact.features, **MAY.as_features()} for contact in past(DAY - timedelta(days=2), 40, 30)]
    shifted = model.pipeline.decision_function(feature_frame(window)) + response["calibration"]["shift"]
    assert np.mean(1 / (1 + np.exp(-shifted))) == pytest.approx(0.75, abs=1e-12)


def test_explain_gives_every_contribution_adding_up_to_the_log_odds(served):
    client, store, version = served
    response = client.post("/appetence?explain=true", json={**CUSTOMER, "date": str(DAY)})
    assert response.status_code == 200, response.json
    body = response.json
    explanation = body["explanation"]
    contributions = explanation["contributions"]
    assert sorted(item["feature"] for item in contributions) == sorted(MODEL_FEATURES)
    sizes = [abs(item["contribution"]) for item in contributions]
    assert sizes == sorted(sizes, reverse=True)
    total = explanation["intercept"] + sum(item["contribution"] for item in contributions)
    total += explanation["calibration_shift"]
    total = explanation["calibration_offset"] + explanation["calibration_slope"] * total
    assert abs(total - explanation["log_odds"]) <= 1e-9
    assert abs(explanation["log_odds"] - math.log(body["appetence"] / (1 - body["appetence"]))) <= 1e-9
    assert explanation["calibration_shift"] == body["calibration"]["shift"]
    assert explanation["intercept"] == store.load(version).scorer.intercept
    values = {item["feature"]: item["value"] for item in contributions}
    assert values["job_type"] == "Manager" and values["idx_consumer_price"] == MAY.idx_consumer_price


@pytest.mark.parametrize("value", ["yes", "TRUE", ""])
def test_explain_takes_true_or_false_only(served, value):
    client, _, _ = served
    response = client.post(f"/appetence?explain={value}", json={**CUSTOMER, "date": str(DAY)})
    assert response.status_code == 422
    assert response.json["errors"][0]["field"] == "explain"


def test_every_batch_row_carries_the_calibration_of_its_day(served):
    client, _, _ = served
    # Nothing logged in the 28 days before: the last fresh calibration, that of DAY + 14 (the last day
    # its newest outcome, DAY, was at most 14 days old; 28 days then held the 50), served unchanged.
    later = DAY + timedelta(days=30)
    unstored = DAY + timedelta(days=40)  # no row stored: the newest earlier row, unchanged, stale
    customers = [{**CUSTOMER, "date": str(day)} for day in (DAY, later, unstored)]
    response = client.post("/appetence/batch", json={"customers": customers})
    assert response.status_code == 200, response.json
    first, second, third = (row["calibration"] for row in response.json["results"])
    assert first["window_days"] == 7 and first["shift"] > 0 and not first["stale"]
    assert (second["stale"], second["window_days"], second["until"], second["contacts"]) == (
        True,
        28,
        str(DAY + timedelta(days=13)),
        50,
    )
    assert second["outcomes_age_days"] == 30
    assert third == {**second, "outcomes_age_days": 40}


def test_the_report_of_a_version_is_served_as_html(served):
    client, store, version = served
    response = client.get(f"/models/{version}/report")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert f"Model {version}" in response.get_data(as_text=True)
    assert client.get("/models/20990101T000000Z/report").status_code == 404
    assert create_app_without_key(store).get(f"/models/{version}/report").status_code == 401


def test_a_report_changed_after_training_is_not_served(served, caplog):
    client, store, version = served
    (store.storage.directory / version / "report.html").write_text("<script>alert(1)</script>")
    response = client.get(f"/models/{version}/report")
    assert response.status_code == 404
    assert str(store.storage.directory) not in response.text  # the log says why, the answer names no file
    assert "report.html does not match its signed manifest" in caplog.text


def test_the_gauges_follow_todays_calibration(tmp_path):
    today = date.today()
    save_model(tmp_path, champion=True)
    log = InMemoryContactLog(past(today - timedelta(days=1), 30, 6))
    settings = Settings(model=ModelSettings(directory=tmp_path))
    repository = InMemorySocioEcoRepository([MAY, last_month(today)])  # fresh for a contact today
    models = [ArtifactPublisher(tmp_path).load()]
    stored = stored_calibrations(models, log, repository, today)
    client = keyed_client(create_app(web_worker(settings, repository=repository, calibrations=stored)))
    answer = client.post("/appetence", json=CUSTOMER).json
    version = answer["model_version"]
    exposition = client.get("/metrics").get_data(as_text=True)
    shift = answer["calibration"]["shift"]
    assert f'chaos_calibration_offset{{model_version="{version}"}} {shift!r}' in exposition
    assert f'chaos_calibration_observed_rate{{model_version="{version}"}} 0.2' in exposition
    assert f'chaos_calibration_stale{{model_version="{version}"}} 0.0' in exposition
    assert "chaos_outcomes_age_days 1.0" in exposition


def test_outcomes_that_stopped_make_answers_stale_the_gauge_and_ready_say_so(tmp_path):
    """The job ran today, but the newest resolved outcome is 20 days old (limit 14)."""
    today = date.today()
    save_model(tmp_path, champion=True)
    log = InMemoryContactLog(past(today - timedelta(days=20), 60, 12))
    settings = Settings(model=ModelSettings(directory=tmp_path))
    repository = InMemorySocioEcoRepository([MAY, last_month(today)])
    stored = stored_calibrations([ArtifactPublisher(tmp_path).load()], log, repository, today)
    client = keyed_client(create_app(web_worker(settings, repository=repository, calibrations=stored)))
    calibration = client.post("/appetence", json=CUSTOMER).json["calibration"]
    assert (calibration["stale"], calibration["outcomes_age_days"], calibration["window_days"]) == (
        True,
        20,
        28,
    )
    ready = client.get("/ready")
    assert ready.status_code == 200
    assert ready.json["checks"]["calibration"] == (
        f"newest outcome {today - timedelta(days=20)}, 20 days old, 28-day window: STALE: answers are flagged"
    )
    exposition = client.get("/metrics").get_data(as_text=True)
    assert "chaos_outcomes_age_days 20.0" in exposition
    assert 'chaos_calibration_stale{model_version="' in exposition and "} 1.0" in exposition


def create_app_without_key(store: ArtifactPublisher):
    settings = Settings(model=ModelSettings(directory=store.storage.directory))
    return create_app(web_worker(settings, repository=InMemorySocioEcoRepository([MAY]))).test_client()


def test_a_calibration_that_moved_beyond_its_history_is_said_in_the_answer_ready_and_the_gauge(tmp_path):
    today = date.today()
    save_model(tmp_path, champion=True)
    moved = Calibration(
        0.8, 7, today - timedelta(days=7), today - timedelta(days=1), 300, 0.4, today - timedelta(days=1),
        slope=0.9, offset=-0.1, slope_source=SlopeSource.SERVED, moved=True,
    )  # fmt: skip
    stored = InMemoryCalibrationStore()
    version = ArtifactPublisher(tmp_path).load().version
    stored.save(version, DEFAULT_POLICY, {today: moved})
    settings = Settings(model=ModelSettings(directory=tmp_path))
    repository = InMemorySocioEcoRepository([MAY, last_month(today)])
    client = keyed_client(create_app(web_worker(settings, repository=repository, calibrations=stored)))
    calibration = client.post("/appetence", json=CUSTOMER).json["calibration"]
    assert (calibration["moved"], calibration["slope_source"]) == (True, "served")
    assert client.get("/ready").json["checks"]["calibration"].endswith("fresh; MOVED beyond its history")
    exposition = client.get("/metrics").get_data(as_text=True)
    assert f'chaos_calibration_moved{{model_version="{version}"}} 1.0' in exposition
