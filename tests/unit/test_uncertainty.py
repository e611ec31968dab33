"""The headline's 95% intervals by resampling whole months, and the figures of the steady months."""

from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import brier_score_loss, roc_auc_score

from chaos.infrastructure.training.evaluation import holdout_metrics
from chaos.infrastructure.training.resampling import LEVEL, RESAMPLES, SEED, month_interval
from chaos.infrastructure.training.uncertainty import (
    DOMINANCE,
    METHOD,
    STEADY_RULE,
    month_bootstrap,
    month_totals,
    steady_months,
    uncertainty_figures,
)
from tests.support.figures import check_uncertainty


def scored(contacts_by_month: list[int], seed: int = 7) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Contacts month after month from 2008-01, each month with a level of its own; scores that rank
    them better than chance, rounded so that some tie."""
    rng = np.random.default_rng(seed)
    first = np.datetime64("2008-01", "M")
    dates = np.concatenate(
        [
            (first + month).astype("datetime64[D]") + np.sort(rng.integers(0, 28, contacts))
            for month, contacts in enumerate(contacts_by_month)
        ]
    )
    level = np.repeat(rng.normal(-0.5, 0.7, len(contacts_by_month)), contacts_by_month)
    customer = rng.normal(0, 1, len(dates))
    target = rng.random(len(dates)) < 1 / (1 + np.exp(-(level + customer)))
    probability = np.round(1 / (1 + np.exp(-(level + 0.8 * customer + rng.normal(0, 0.5, len(dates))))), 2)
    return target, probability, dates


def test_the_interval_holds_the_point_estimate():
    target, probability, dates = scored([150] * 24)
    intervals = month_bootstrap(target, probability, dates)
    low, high = intervals["roc_auc"]
    assert low < roc_auc_score(target, probability) < high
    low, high = intervals["brier"]
    assert low < brier_score_loss(target, probability) < high


def test_the_interval_shrinks_with_more_months():
    """The same six months, then four and sixteen times as many months like them: the months vary
    alike, there are more of them, so the figures are surer."""
    target, probability, dates = scored([150, 90, 200, 120, 60, 170])
    widths = []
    for copies in (1, 4, 16):
        later = np.concatenate(
            [
                (dates.astype("datetime64[M]") + 6 * copy).astype("datetime64[D]")
                + (dates - dates.astype("datetime64[M]").astype("datetime64[D]"))
                for copy in range(copies)
            ]
        )
        intervals = month_bootstrap(np.tile(target, copies), np.tile(probability, copies), later)
        assert intervals["months"] == 6 * copies
        widths.append([high - low for low, high in (intervals["roc_auc"], intervals["brier"])])
    (auc_6, brier_6), (auc_24, brier_24), (auc_96, brier_96) = widths
    assert auc_96 < auc_24 < auc_6 and brier_96 < brier_24 < brier_6


def test_the_figures_of_a_resample_are_those_of_its_rows_pooled():
    """A month drawn twice counts twice, its pairs with itself included."""
    target, probability, dates = scored([40, 90, 60, 30])
    totals = month_totals(target, probability, dates)
    months = dates.astype("datetime64[M]")
    drawn = [0, 0, 2, 3]
    rows = np.concatenate([np.flatnonzero(months == np.unique(months)[i]) for i in drawn])
    weights = np.bincount(drawn, minlength=4)
    assert totals.roc_auc(weights) == pytest.approx(roc_auc_score(target[rows], probability[rows]), abs=1e-12)
    assert totals.brier(weights) == pytest.approx(
        brier_score_loss(target[rows], probability[rows]), abs=1e-12
    )


def test_a_resample_without_subscribers_has_no_auc():
    target, probability, dates = scored([40, 90])
    target[:40] = False
    totals = month_totals(target, probability, dates)
    assert np.isnan(totals.roc_auc(np.array([2, 0])))
    assert totals.roc_auc(np.array([1, 1])) == pytest.approx(roc_auc_score(target, probability), abs=1e-12)


def test_the_intervals_are_those_of_the_month_resampling_the_gate_uses_and_reproduce():
    target, probability, dates = scored([120, 80, 200, 60, 90, 150, 70, 110])
    intervals = month_bootstrap(target, probability, dates)
    auc = month_interval(lambda rows: roc_auc_score(target[rows], probability[rows]), dates)
    brier = month_interval(lambda rows: brier_score_loss(target[rows], probability[rows]), dates)
    assert intervals["roc_auc"] == pytest.approx(list(auc), abs=1e-12)
    assert intervals["brier"] == pytest.approx(list(brier), abs=1e-12)
    assert month_bootstrap(target, probability, dates) == intervals


def test_a_month_far_larger_than_the_median_month_is_left_out_of_the_steady_figures():
    target, probability, dates = scored([100, 120, 90, 110, 2000, 100, 95, 105])
    steady = steady_months(target, probability, dates)
    assert steady["dominant"] == [{"month": "2008-05", "contacts": 2000, "share": 2000 / len(target)}]
    kept = dates.astype("datetime64[M]") != np.datetime64("2008-05")
    assert steady["months"] == ["2008-01", "2008-02", "2008-03", "2008-04", "2008-06", "2008-07", "2008-08"]
    assert steady["contacts"] == int(kept.sum())
    assert steady["median_month_contacts"] == 102.5
    assert steady["metrics"] == holdout_metrics(target[kept], probability[kept], dates[kept])
    assert steady["intervals"] == month_bootstrap(target[kept], probability[kept], dates[kept])
    assert steady["intervals"]["months"] == 7


def test_months_of_similar_volume_are_all_steady():
    """Twice to four times the median month is not dominance."""
    target, probability, dates = scored([100, 400, 90, 110, 250, 100])
    steady = steady_months(target, probability, dates)
    assert steady["dominant"] == [] and steady["contacts"] == len(target)
    assert steady["metrics"] == holdout_metrics(target, probability, dates)


def test_steady_months_without_both_classes_are_not_judged():
    target, probability, dates = scored([100, 100, 1000])
    target[:200] = False
    steady = steady_months(target, probability, dates)
    assert [m["month"] for m in steady["dominant"]] == ["2008-03"]
    assert steady["metrics"] is None and steady["intervals"] is None


def test_what_the_metadata_records():
    target, probability, dates = scored([100, 120, 90, 110, 2000, 100])
    figures = uncertainty_figures(target, probability, dates)
    assert set(figures) == {"intervals", "steady"}
    check_uncertainty({"metrics": holdout_metrics(target, probability, dates), **figures})
    intervals, steady = figures["intervals"], figures["steady"]
    assert (intervals["method"], intervals["level"], intervals["resamples"], intervals["seed"]) == (
        METHOD,
        LEVEL,
        RESAMPLES,
        SEED,
    )
    assert (LEVEL, RESAMPLES, intervals["months"]) == (0.95, 1000, 6)
    assert (steady["rule"], steady["dominance"]) == (STEADY_RULE, DOMINANCE)
    assert [month["month"] for month in steady["dominant"]] == ["2008-05"]
    assert steady["metrics"] is not None and steady["intervals"]["months"] == 5


def test_the_model_card_and_the_training_page_state_the_rule_the_code_applies():
    docs = Path(__file__).resolve().parents[2] / "docs"
    for page in ("model-card.md", "training.md"):
        text = " ".join((docs / page).read_text().split())
        assert (
            f"dominates when it holds more than {DOMINANCE:g} times the contacts of the holdout's "
            "median month" in text
        )
        assert f"{RESAMPLES:,} " in text and f"{LEVEL:.0%} interval" in text
