"""The real export's holdout replayed through the API, day by day, as production would live it.

The contacts before the holdout are the history a model is trained on; then each holdout day in date
order: `chaos calibrate`'s job stores the day's calibration, the day's contacts are scored through
`POST /appetence/batch` with their contact ids (so each answer is kept in the served record), their
outcomes are reported through `POST /outcomes`, and `chaos monitor`'s job measures the day. At the
end, what was served and stored must equal, to 1e-9, what is computed offline here from the export
itself: the served probabilities (model log-odds with the indicators the as-of rule gives each day,
shifted by the day's stored calibration), the served record (one row per answer, its numbers those
answered), the last day's calibration (the calibration function on the reported outcomes, its slope
on the served record's log-odds) and each day's performance figures, recomputed from the served
record joined with the reported outcomes, in the store and on `/metrics`.

The suite replays the first REPLAYED_DAYS holdout days that have contacts; CHAOS_REPLAY_DAYS=all (or a
number) replays more, and `make replay` replays them all and prints the figures.
"""

import bisect
import math
import os
import time
from dataclasses import astuple, fields
from datetime import date, timedelta

import numpy as np
import pytest
import sqlalchemy as sa
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, roc_auc_score

from chaos.bootstrap import calibration_of, monitor_on, training_on, web_worker
from chaos.domain.calibration import Calibration, Outcomes, calibrate_days, sigmoid
from chaos.domain.calibration_moves import MOVE_FACTOR, PARAMETERS, move_ratios
from chaos.domain.features import CUSTOMER_FEATURES
from chaos.domain.outcome import Outcome
from chaos.domain.socio_eco import INDICATORS
from chaos.entrypoints.web.app_factory import create_app
from chaos.entrypoints.web.monitoring_page import CHARTS, render
from chaos.infrastructure.api_keys import Scope, key_hash
from chaos.infrastructure.config.settings import (
    ApiSettings,
    CalibrationSettings,
    ModelSettings,
    ServedSettings,
    Settings,
)
from chaos.infrastructure.db.calibration_store import SqlCalibrationStore
from chaos.infrastructure.db.performance_log import SqlPerformanceLog
from chaos.infrastructure.db.tables import marketing, served_score, socio_eco
from chaos.infrastructure.importing import MARKETING, SOCIO_ECO, import_csv
from chaos.infrastructure.models.configured import configured_reader
from harness.publisher import publisher_settings
from tests.functional.chromium import CHROMIUM, headless
from tests.support.reporting import UNBOUNDED
from tests.web_clients import TEST_KEY, keyed_client, samples

HOLDOUT_START = date(2009, 5, 11)
REPLAYED_DAYS = 10
"""Holdout days replayed by default: enough for every step to meet real data, quick enough for the suite."""
DAYS_VARIABLE = "CHAOS_REPLAY_DAYS"
TOLERANCE = 1e-9
RANKING_WINDOW_DAYS = 7
"""The monitoring's documented ranking window: the AUCs of a day pool the seven days ending that day."""


def replayed_days(days: list[date]) -> list[date]:
    wanted = os.environ.get(DAYS_VARIABLE, str(REPLAYED_DAYS))
    return days if wanted == "all" else days[: int(wanted)]


@pytest.mark.slow
def test_the_replayed_holdout_serves_calibrates_and_measures_as_computed_offline(
    engine, database_settings, shared_data, tmp_path
):
    started = time.monotonic()
    history, holdout, months = split_export(engine, shared_data, tmp_path)
    keys = [{"hash": key_hash(TEST_KEY), "scopes": [Scope.SCORE, Scope.REPORT_OUTCOMES, Scope.READ_MODELS]}]
    settings = Settings(
        database=database_settings,
        api=ApiSettings(keys=keys),
        model=ModelSettings(**publisher_settings(tmp_path / "models", tmp_path / "signing.pem")),
        calibration=CalibrationSettings(cache_ttl_seconds=0),
        outcomes=UNBOUNDED,  # every replayed day reports within one real day; stale rows were never scored
        served=ServedSettings(flush_seconds=0.05),  # each day's answers recorded before the next day's job
    )
    version = training_on(settings, engine).train(True)
    model = configured_reader(settings.model).load(version)
    trained = time.monotonic()
    days = replayed_days(sorted({row["date"] for row in holdout}))
    max_age = settings.socio_eco.max_age_days
    app = create_app(web_worker(settings))
    try:
        served = replay(keyed_client(app, TEST_KEY), settings, engine, version, holdout, days, months)
        gauges = samples(keyed_client(app, TEST_KEY))
        measures = app.extensions["chaos"].service.performance_history(days[0])
    finally:
        app.extensions["chaos"].service.stores.engine.dispose()
    replayed = time.monotonic()

    replayed_contacts = [row for row in holdout if row["date"] <= days[-1]]
    known = history + replayed_contacts
    log_odds = dict(
        zip(
            [row["id"] for row in known],
            model.log_odds_many([{**features(row), **months.as_of(row["date"])} for row in known]),
            strict=True,
        )
    )
    stored = {
        day: found
        for day, (computed_for, found) in SqlCalibrationStore(engine).newest(version, days).items()
        if computed_for == day
    }
    assert list(stored) == days
    for row in replayed_contacts:
        if row["id"] in served:
            expected = stored[row["date"]].probability(log_odds[row["id"]])
            assert served[row["id"]] == pytest.approx(expected, rel=0, abs=TOLERANCE), row
    assert {row["id"] for row in replayed_contacts if months.servable(row["date"], max_age)} == set(served)
    record = served_record(engine)
    assert set(record) == set(served), "one record per answer, and none without one"
    for row in replayed_contacts:
        if row["id"] in served:
            assert_reproduces(record[row["id"]], served[row["id"]], row, version, stored, log_odds)

    resolved = sorted(
        (row for row in known if Outcome.parse(row["outcome"]).resolved), key=lambda row: row["date"]
    )
    outcomes = Outcomes(
        np.array([row["date"] for row in resolved], dtype="datetime64[D]"),
        np.array([log_odds[row["id"]] for row in resolved]),
        np.array([Outcome.parse(row["outcome"]).subscribed for row in resolved], dtype=bool),
    )
    answered = [row for row in resolved if row["id"] in record]
    as_served = Outcomes(
        np.array([row["date"] for row in answered], dtype="datetime64[D]"),
        np.array(
            [record[row["id"]]["log_odds"] + record[row["id"]]["calibration_shift"] for row in answered]
        ),
        np.array([Outcome.parse(row["outcome"]).subscribed for row in answered], dtype=bool),
    )
    policy = settings.calibration.policy()
    offline_calibration = calibrate_days([days[-1]], outcomes, policy, as_served)[days[-1]]
    assert_same_calibration(stored[days[-1]], offline_calibration)
    if CHROMIUM.exists():  # the /monitoring page of the replayed days, as a person sees it
        page = tmp_path / "monitoring.html"
        page.write_text(render(measures, days[0]))
        dom = headless(page.as_uri(), tmp_path / "profile")
        assert dom.count("<svg") == len(CHARTS) and dom.count('class="series"') == len(CHARTS)

    # the monitor's truth: the served record joined with the reported outcomes, by contact id and day
    dates = np.array([row["date"] for row in answered], dtype="datetime64[D]")
    target = np.array([Outcome.parse(row["outcome"]).subscribed for row in answered], dtype=bool)
    probability = np.array([record[row["id"]]["probability"] for row in answered])
    offline = {
        day: figures(day, dates, target, probability)
        for day in days
        if (dates == np.datetime64(day, "D")).any()
    }
    recorded = {measure.day: measure for measure in SqlPerformanceLog(engine).history(days[0])}
    assert list(recorded) == list(offline)
    for day, expected in offline.items():
        got = recorded[day]
        assert (got.model_version, got.source) == (version, "served")
        for name, value in expected.items():
            assert_close(getattr(got, name), value, f"{day} {name}")
    last = offline[max(offline)]
    for name, value in last.items():
        gauge = gauges[("chaos_served_performance", (("figure", name), ("model_version", version)))]
        assert_close(None if math.isnan(gauge) else gauge, value, f"gauge {name}")

    print(
        f"\n{len(days)} holdout days replayed with model {version}: {len(served)} contacts scored, "
        f"{len(replayed_contacts) - len(served)} refused (indicators too old), {len(offline)} days measured; "
        f"pooled over the replayed days' {len(answered)} resolved contacts: ROC AUC "
        f"{roc_auc_score(target, probability):.4f}, Brier {brier_score_loss(target, probability):.4f}"
    )
    print_figures(offline, offline_calibration, trained - started, replayed - trained)
    print_moves(stored)


def replay(client, settings, engine, version, holdout, days, months) -> dict[int, float]:
    """Each day as production lives it: calibrate, score, report, measure. Returns the probability
    served to each contact scored, by contact id."""
    max_age = settings.socio_eco.max_age_days
    served: dict[int, float] = {}
    for day in days:
        calibration_of(settings, engine).run([day], lambda stage: None)
        contacts = [row for row in holdout if row["date"] == day]
        servable = [row for row in contacts if months.servable(row["date"], max_age)]
        refused = [row for row in contacts if not months.servable(row["date"], max_age)]
        if servable:
            answer = client.post("/appetence/batch", json={"customers": [request(r) for r in servable]})
            assert answer.status_code == 200, answer.get_data(as_text=True)[:2000]
            assert answer.headers["X-Model-Version"] == version
            results = zip(servable, answer.json["results"], strict=True)
            served |= {row["id"]: result["appetence"] for row, result in results}
            wait_for_records(engine, len(served))
        if refused:  # indicators older than the limit: no score, each row says why, as the rule says
            answer = client.post("/appetence/batch", json={"customers": [request(r) for r in refused]})
            assert answer.status_code == 200, answer.get_data(as_text=True)[:2000]
            assert {result["problem"]["type"] for result in answer.json["results"]} == {
                "urn:chaos:problem:stale-indicators"
            }
        reports = [{"outcome": r["outcome"], **request(r)} for r in contacts]
        answer = client.post("/outcomes", json={"outcomes": reports})
        assert answer.status_code == 200, answer.get_data(as_text=True)[:2000]
        assert answer.json["new"] == len(contacts)
        monitor_on(settings, engine).run(days=1, today=day + timedelta(days=1))
    return served


def split_export(engine, shared_data, tmp_path):
    """The export imported, then its holdout contacts taken out of the call log: they are what the
    replay scores and reports. Returns the history's and the holdout's contacts (as the importer
    read them) and the indicators."""
    options = {"max_reject_ratio": 0.05, "rejects_dir": tmp_path}
    import_csv(engine, shared_data / "socio_eco.csv", SOCIO_ECO, **options)
    import_csv(engine, shared_data / "data.csv", MARKETING, **options)
    order = (marketing.c.date, marketing.c.id)
    with engine.begin() as connection:
        history = [
            dict(r._mapping)
            for r in connection.execute(
                sa.select(marketing).where(marketing.c.date < HOLDOUT_START).order_by(*order)
            )
        ]
        holdout = [
            dict(r._mapping)
            for r in connection.execute(
                sa.select(marketing).where(marketing.c.date >= HOLDOUT_START).order_by(*order)
            )
        ]
        connection.execute(sa.delete(marketing).where(marketing.c.date >= HOLDOUT_START))
        rows = connection.execute(sa.select(socio_eco).order_by(socio_eco.c.date)).all()
    complete = [row for row in rows if all(row._mapping[name] is not None for name in INDICATORS)]
    return history, holdout, Months(complete)


class Months:
    """The as-of rule, written out: the latest complete month dated before the contact day."""

    def __init__(self, rows):
        self.dates = [row.date for row in rows]
        self.rows = rows

    def picked(self, day: date):
        position = bisect.bisect_right(self.dates, day - timedelta(days=1))
        return self.rows[position - 1] if position else None

    def as_of(self, day: date) -> dict:
        row = self.picked(day)
        return {name: row._mapping[name] if row else None for name in INDICATORS}

    def servable(self, day: date, max_age_days: int) -> bool:
        row = self.picked(day)
        return row is not None and (day - row.date).days <= max_age_days


def features(row: dict) -> dict:
    return {name: row[name] for name in CUSTOMER_FEATURES}


def request(row: dict) -> dict:
    """A contact as a marketing tool sends it: its id, its day and the customer's fields."""
    return {"id": row["id"], "date": row["date"].isoformat(), **features(row)}


RECORD_WAIT_SECONDS = 30.0


def wait_for_records(engine, answers: int) -> None:
    """Until the served record holds `answers` rows: the workers write it in the background, and the
    next day's calibration fits its slope on it."""
    deadline = time.monotonic() + RECORD_WAIT_SECONDS
    count = sa.select(sa.func.count()).select_from(served_score)
    while True:
        with engine.connect() as connection:
            written = connection.scalar(count)
        if written == answers:
            return
        assert written < answers and time.monotonic() < deadline, f"{written} records for {answers} answers"
        time.sleep(0.02)


def served_record(engine) -> dict[int, dict]:
    """The served record by contact id (each replayed contact is scored once)."""
    with engine.connect() as connection:
        rows = [dict(row) for row in connection.execute(sa.select(served_score)).mappings()]
    by_id = {row["contact_id"]: row for row in rows}
    assert len(by_id) == len(rows), "a contact recorded twice"
    return by_id


def shifted(kept: dict) -> float:
    """The log-odds a record says were answered, before the calibration's slope and offset."""
    return kept["log_odds"] + kept["calibration_shift"]


def assert_reproduces(
    kept: dict, answered: float, row: dict, version: str, stored: dict, log_odds: dict
) -> None:
    """The record of one answer: the probability answered, bit for bit, and what it was made of."""
    calibration = stored[row["date"]]
    assert kept["probability"] == answered, row["id"]
    assert (kept["contact_date"], kept["model_version"]) == (row["date"], version)
    assert kept["calibration_until"] == calibration.until
    assert kept["calibration_window_days"] == calibration.window_days
    assert kept["calibration_stale"] == calibration.stale
    for name in ("shift", "slope", "offset"):
        assert kept[f"calibration_{name}"] == getattr(calibration, name), (row["id"], name)
    assert_close(kept["log_odds"], log_odds[row["id"]], f"{row['id']} log_odds")
    served_log_odds = kept["calibration_offset"] + kept["calibration_slope"] * shifted(kept)
    assert_close(sigmoid(served_log_odds), answered, f"{row['id']} probability from its record")


def figures(day: date, dates: np.ndarray, target: np.ndarray, probability: np.ndarray) -> dict:
    """The day's figures, from their definitions: level figures on the day, AUCs on the window."""
    today = dates == np.datetime64(day, "D")
    window = (dates > np.datetime64(day, "D") - RANKING_WINDOW_DAYS) & (dates <= np.datetime64(day, "D"))
    y, p = target[today], probability[today]
    rate, mean = float(y.mean()), float(p.mean())
    brier = float(brier_score_loss(y, p))
    two_classes = 0 < y.sum() < len(y)
    return {
        "contacts": int(today.sum()),
        "observed_rate": rate,
        "mean_prediction": mean,
        "brier": brier,
        "brier_constant": rate * (1 - rate),
        "brier_skill": 1 - brier / (rate * (1 - rate)) if two_classes else None,
        "calibration_in_the_large": rate - mean,
        "calibration_slope": slope(y, p),
        "roc_auc": float(roc_auc_score(target[window], probability[window]))
        if 0 < target[window].sum() < window.sum()
        else None,
        "within_day_auc": pairs_auc(target[window], probability[window], dates[window]),
    }


def slope(target: np.ndarray, probability: np.ndarray) -> float | None:
    """The calibration slope: the outcome's unpenalised logistic regression on the served log-odds,
    scikit-learn's to its tightest tolerance; None unless both classes' log-odds strictly overlap
    (otherwise the likelihood has no finite maximum)."""
    clipped = np.clip(probability, 1e-12, 1 - 1e-12)
    log_odds = np.log(clipped / (1 - clipped))
    ones, zeros = log_odds[target], log_odds[~target]
    if not (len(ones) and len(zeros) and ones.min() < zeros.max() and zeros.min() < ones.max()):
        return None
    fitted = LogisticRegression(C=np.inf, solver="newton-cholesky", tol=1e-12, max_iter=1000)
    return float(fitted.fit(log_odds.reshape(-1, 1), target).coef_[0, 0])


def pairs_auc(target: np.ndarray, probability: np.ndarray, dates: np.ndarray) -> float | None:
    """The share of (subscriber, non-subscriber) pairs contacted the same day that are ranked right
    (ties count half), counted pair by pair."""
    right, pairs = 0.0, 0
    for day in np.unique(dates):
        inside = dates == day
        positive = probability[inside & target][:, None]
        negative = probability[inside & ~target][None, :]
        right += float((positive > negative).sum() + 0.5 * (positive == negative).sum())
        pairs += positive.size * negative.size
    return right / pairs if pairs else None


def assert_close(got: float | int | None, expected: float | int | None, what: str) -> None:
    if expected is None:
        assert got is None, what
    else:
        assert got == pytest.approx(expected, rel=0, abs=TOLERANCE), what


def assert_same_calibration(got: Calibration, expected: Calibration) -> None:
    """Every field but `moved`, which judges the stored history rather than the outcomes."""
    for field, mine, theirs in zip(fields(Calibration), astuple(got), astuple(expected), strict=True):
        if field.name == "moved":
            continue
        if isinstance(theirs, float):
            assert_close(mine, theirs, field.name)
        else:
            assert mine == theirs, field.name


def print_figures(offline, calibration, training_seconds, replay_seconds) -> None:
    print("day         contacts  rate    mean    brier   skill    citl     slope   auc     within-day")
    for day, f in offline.items():
        cells = [
            f[name]
            for name in (
                "observed_rate",
                "mean_prediction",
                "brier",
                "brier_skill",
                "calibration_in_the_large",
                "calibration_slope",
                "roc_auc",
                "within_day_auc",
            )
        ]
        print(
            f"{day}  {f['contacts']:8d}  " + "  ".join("   -  " if c is None else f"{c:6.3f}" for c in cells)
        )
    print(
        f"last day's calibration: shift {calibration.shift:.4f} on {calibration.window_days} days "
        f"({calibration.contacts} outcomes, rate {calibration.observed_rate:.4f}), "
        f"slope {calibration.slope:.4f}, offset {calibration.offset:.4f}"
    )
    print(f"training {training_seconds:.0f} s, replay {replay_seconds:.0f} s")


def print_moves(stored: dict[date, Calibration]) -> None:
    """How far each day's calibration moved, in medians of its own history's daily moves: what the
    flag's factor is chosen on."""
    ratios = {day: found for day in stored if (found := move_ratios(day, stored)) is not None}
    flagged = sorted(day for day, found in stored.items() if found.moved)
    sources = {str(found.slope_source) for found in stored.values()}
    print(f"slope fitted on: {sorted(sources)}; days judged for moves: {len(ratios)}, flagged: {flagged}")
    for name in PARAMETERS:
        values = np.array([found[name] for found in ratios.values()])
        finite = values[np.isfinite(values)]
        if len(finite):
            quantiles = np.quantile(finite, [0.5, 0.9, 0.99])
            print(
                f"  {name}: move / median daily move: median {quantiles[0]:.2f}, 90% {quantiles[1]:.2f}, "
                f"99% {quantiles[2]:.2f}, max {finite.max():.2f}, above {MOVE_FACTOR:g}: "
                f"{int((values > MOVE_FACTOR).sum())} of {len(values)}"
            )
    largest = np.array([max(found.values()) for found in ratios.values()])
    print(
        "  days flagged by factor: "
        + ", ".join(f"{k}: {int((largest > k).sum())}" for k in (5, 8, 10, 12, 15, 20))
    )
