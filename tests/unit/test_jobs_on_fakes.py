"""The scheduled jobs, the model commands and the outcome reports as use cases on in-memory fakes of
their ports, as the web path is tested: calibration, monitoring, outcomes, promotion and retraining,
with no database nor files
(the same use cases run against PostgreSQL in tests/integration)."""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from chaos.application.champion import ChampionRefused, promote, rollback
from chaos.application.daily_calibration import DailyCalibration
from chaos.application.job_windows import FIRST_RUN_DAYS
from chaos.application.monitoring import ServedModelMonitor
from chaos.application.stores import GivenStores, JobStores
from chaos.application.train_model_for_appetence import PromotionRefused, Training
from chaos.domain.calibration import DEFAULT_POLICY, SlopeSource
from chaos.domain.calibration_moves import MOVE_WINDOW_DAYS
from chaos.domain.model_store import ChampionConflict
from chaos.domain.outcome import Outcome
from chaos.domain.reported_outcome import Call, ConflictingOutcomes, ReportedOutcome, UnknownContacts
from chaos.domain.repositories import PastContact
from chaos.domain.served_record import ServedOutcome
from chaos.domain.socio_eco import SocioEcoIndicators
from chaos.domain.training import TrainingWindow
from chaos.entrypoints.web.appetence_schema import EXAMPLE_REQUEST
from tests.fakes import (
    FakeScoringModel,
    FakeTrainer,
    InMemoryCalibrationStore,
    InMemoryContactLog,
    InMemoryModelStore,
    InMemoryOutcomeBook,
    InMemoryPerformanceLog,
    InMemoryServedOutcomes,
    InMemorySocioEcoRepository,
)
from tests.support.reporting import KEY, reports_on

TODAY = date(2008, 7, 20)
JUNE = SocioEcoIndicators(date(2008, 6, 30), 1.1, 93.9, -36.4)


def quiet(stage: str) -> None:
    """A job's progress, not printed."""


def by_age(features) -> float:
    return features["age"] / 100


def call_log(days: int = 21, per_day: int = 6) -> InMemoryContactLog:
    """Resolved contacts of the `days` days before TODAY, the older ones more likely to subscribe."""
    contacts = [
        PastContact(TODAY - timedelta(days=back), {**EXAMPLE_REQUEST, "age": 20 + 10 * i}, i >= per_day - 2)
        for back in range(1, days + 1)
        for i in range(per_day)
    ]
    return InMemoryContactLog(contacts)


def job_stores(log: InMemoryContactLog | None = None) -> JobStores:
    return JobStores(
        log or call_log(),
        InMemorySocioEcoRepository([JUNE]),
        InMemoryCalibrationStore(),
        InMemoryPerformanceLog(),
    )


def test_calibration_stores_each_day_of_every_servable_version_and_names_the_others():
    models = InMemoryModelStore(FakeScoringModel(by_age, "a"), FakeScoringModel(version="b"), champion="a")
    models.broken.add("b")
    stores = job_stores()
    run = DailyCalibration(models, stores, DEFAULT_POLICY).run([TODAY, TODAY + timedelta(days=1)], print)
    assert set(run.stored) == {"a"} and set(run.unservable) == {"b"}
    assert "not signed" in run.unservable["b"]
    assert set(stores.calibrations.rows) == {("a", TODAY), ("a", TODAY + timedelta(days=1))}
    stored = stores.calibrations.rows[("a", TODAY)]
    assert stored == run.stored["a"][TODAY] and stored.contacts >= DEFAULT_POLICY.min_contacts


def test_each_day_stored_is_judged_against_the_calibrations_stored_before_it():
    models = InMemoryModelStore(FakeScoringModel(by_age, "a"), champion="a")
    stores = job_stores(call_log(days=60, per_day=8))
    job = DailyCalibration(models, stores, DEFAULT_POLICY)
    first = TODAY - timedelta(days=MOVE_WINDOW_DAYS)
    for back in range(MOVE_WINDOW_DAYS, -1, -1):  # one run a day, as the CronJob
        job.run([TODAY - timedelta(days=back)], quiet)
    judged = [found.moved for (_, day), found in sorted(stores.calibrations.rows.items()) if day >= first]
    assert judged[0] is None  # nothing stored before it to judge by
    assert judged[-1] is not None  # four weeks of stored days later


def test_the_slope_is_fitted_on_what_the_model_answered_when_the_served_record_covers_its_window():
    models = InMemoryModelStore(FakeScoringModel(by_age, "a"), champion="a")
    log = call_log(days=60, per_day=8)
    answered = [  # what was answered: the classes overlap (else no finite fit), another version's too
        ServedOutcome(
            version, contact.date, contact.features["age"] / 20 - 2 + (-1) ** n * 2, 0.5, contact.subscribed
        )
        for n, contact in enumerate(log.contacts)
        for version in ("a", "other")
    ]
    stores = replace(job_stores(log), served=InMemoryServedOutcomes(answered))
    stored = DailyCalibration(models, stores, DEFAULT_POLICY).run([TODAY], quiet).stored["a"][TODAY]
    alone = DailyCalibration(models, job_stores(log), DEFAULT_POLICY).run([TODAY], quiet).stored["a"][TODAY]
    assert (stored.slope_source, alone.slope_source) == (SlopeSource.SERVED, SlopeSource.MODEL)
    assert stored.shift == alone.shift and stored.slope != alone.slope
    others = [answer for answer in answered if answer.model_version == "other"]
    only_others = replace(job_stores(log), served=InMemoryServedOutcomes(others))
    assert (
        DailyCalibration(models, only_others, DEFAULT_POLICY).run([TODAY], quiet).stored["a"][TODAY] == alone
    )


def test_monitoring_records_the_served_model_figures_of_each_day_read_back_from_the_log():
    models = InMemoryModelStore(FakeScoringModel(by_age, "served"), champion="served")
    stores = job_stores()
    measures = ServedModelMonitor(models, stores, None, None).run(days=3, today=TODAY)
    assert [measure.day for measure in measures] == [TODAY - timedelta(days=back) for back in (3, 2, 1)]
    assert {measure.model_version for measure in measures} == {"served"}
    assert all(
        measure.contacts == 6 and measure.observed_rate == pytest.approx(2 / 6) for measure in measures
    )
    assert all(measure.roc_auc == 1.0 for measure in measures)  # the oldest ones subscribe: ranked right
    assert all(measure.calibration_slope is None for measure in measures)  # separated: no finite fit
    assert stores.performance.history(TODAY - timedelta(days=3)) == measures


def test_monitoring_measures_a_pinned_version_rather_than_the_champion():
    models = InMemoryModelStore(
        FakeScoringModel(version="pinned"), FakeScoringModel(version="champ"), champion="champ"
    )
    measures = ServedModelMonitor(models, job_stores(), "pinned", None).run(2, TODAY)
    assert {measure.model_version for measure in measures} == {"pinned"}


def test_promotion_follows_the_recorded_gate_and_a_rollback_goes_back():
    passed = {"promotion": {"comparison": {"champion": "v1", "promote": True, "reason": "better"}}}
    failed = {"promotion": {"comparison": {"champion": "v1", "promote": False, "reason": "worse AUC"}}}
    models = InMemoryModelStore(
        FakeScoringModel(version="v1"),
        FakeScoringModel(version="v2"),
        FakeScoringModel(version="v3"),
        champion="v1",
    )
    models.metadatas.update({"v2": passed, "v3": failed})
    with pytest.raises(ChampionRefused, match="v3 failed the gate against v1: worse AUC"):
        promote(models, "v3", force=False, command="chaos models promote v3")
    change = promote(models, "v2", force=False, command="chaos models promote v2")
    assert (change.previous, change.version, models.champion()) == ("v1", "v2", "v2")
    back = rollback(models, None, "chaos models rollback")
    assert (back.previous, back.version, models.champion()) == ("v2", "v1", "v1")
    assert [event["decision"] for event in models.history()] == ["rollback", "promoted"]


def test_a_promotion_never_overwrites_a_champion_moved_meanwhile():
    models = InMemoryModelStore(FakeScoringModel(version="v1"), FakeScoringModel(version="v2"), champion="v1")
    read = models.champion_pointer()
    models.set_champion("v2", {"decision": "forced"})
    with pytest.raises(ChampionConflict):
        models.set_champion("v1", {"decision": "forced"}, read)
    assert models.champion() == "v2"


def test_retraining_publishes_a_champion_only_when_the_data_changed():
    models = InMemoryModelStore()
    training = Training(models, FakeTrainer("data-1"))
    first = training.retrain(progress=print)
    assert first.version == "v1" and models.champion() == "v1"
    assert models.metadata("v1")["promotion"]["decision"] == "first champion"
    again = training.retrain(progress=print)
    assert (again.version, again.champion, again.fingerprint) == (None, "v1", "data-1")
    assert models.versions() == ["v1"]  # nothing trained on the very same data

    trainer = FakeTrainer("data-2")
    changed = Training(models, trainer).retrain(progress=print)
    assert changed.version == "v2" and models.champion() == "v2"
    assert trainer.asked == [(TrainingWindow(), ("v1", TrainingWindow()), False)]  # judged against v1


def test_a_candidate_the_gate_refuses_is_published_but_the_champion_stays():
    models = InMemoryModelStore()
    Training(models, FakeTrainer("data-1")).train(champion=True)
    with pytest.raises(PromotionRefused, match="not promoted: judged; champion v1 unchanged") as refused:
        Training(models, FakeTrainer("data-2", promote=False)).retrain(progress=print)
    assert refused.value.version == "v2" and models.champion() == "v1"
    assert models.metadata("v2")["promotion"]["decision"] == "refused"
    forced = Training(models, FakeTrainer("data-2", promote=False)).train(champion=True, force=True)
    assert models.champion() == forced and models.metadata(forced)["promotion"]["decision"] == "forced"
    assert b"'version': 'v3'" in models.report(forced)  # the report is drawn from the metadata as published


def test_outcome_reports_are_recorded_all_or_none():
    book = InMemoryOutcomeBook()
    reports = reports_on(GivenStores(InMemorySocioEcoRepository([JUNE]), outcomes=book))
    call = Call(TODAY, {**EXAMPLE_REQUEST})
    tally = reports.record(
        KEY, [ReportedOutcome(1, Outcome.PENDING, call), ReportedOutcome(2, Outcome.REFUSED, call)]
    )
    assert (tally.new, book.outcomes[1].outcome) == (2, Outcome.PENDING)
    assert reports.record(KEY, [ReportedOutcome(1, Outcome.SUBSCRIBED, None)]).resolved == 1
    with pytest.raises(ConflictingOutcomes):  # 2 is known refused: a report may not say otherwise
        reports.record(
            KEY, [ReportedOutcome(3, Outcome.SUBSCRIBED, call), ReportedOutcome(2, Outcome.SUBSCRIBED, None)]
        )
    assert 3 not in book.outcomes and book.outcomes[2].outcome is Outcome.REFUSED
    with pytest.raises(UnknownContacts):
        reports.record(KEY, [ReportedOutcome(4, Outcome.REFUSED, None)])


def test_calibration_without_dates_fills_every_day_since_the_newest_stored():
    models = InMemoryModelStore(FakeScoringModel(by_age, "a"), FakeScoringModel(by_age, "b"), champion="a")
    calibration = DailyCalibration(models, job_stores(), DEFAULT_POLICY)
    first_run = calibration.due_days(TODAY)
    assert first_run[0] == TODAY - timedelta(days=FIRST_RUN_DAYS) and first_run[-1] == TODAY + timedelta(
        days=1
    )
    calibration.run(first_run, print)
    assert calibration.due_days(TODAY) == [TODAY, TODAY + timedelta(days=1)]  # nothing missed: the usual run
    later = TODAY + timedelta(days=5)
    assert calibration.due_days(later) == [TODAY + timedelta(days=2 + back) for back in range(5)]
