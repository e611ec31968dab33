"""The model report as a person sees it: headless Chromium opens the HTML file alone (no network, no
server) and draws every chart of every section."""

import re
from pathlib import Path

import numpy as np
import pytest

from chaos.domain.calibration import CalibrationPolicy
from chaos.infrastructure.models.publishing import ArtifactPublisher
from chaos.infrastructure.training.evaluation import evaluate, lag_sensitivity
from chaos.infrastructure.training.report import render_report
from chaos.infrastructure.training.uncertainty import uncertainty_figures
from tests.artifacts import save_model
from tests.functional.chromium import headless, needs_chromium

SECTIONS = [
    "Uncertainty: intervals by resampling months, and the steady months",
    "Promotion",
    "Ranking: ROC and precision-recall curves",
    "Reliability: predicted vs observed by decile",
    "Level over time: observed vs predicted rate by month",
    "Per-feature terms (log-odds)",
    "Walk-forward backtest",
    "Outcomes reported late: the served figures by reporting lag",
    "Coverage under the freshness limit",
]


@pytest.fixture
def report(tmp_path) -> Path:
    version = save_model(tmp_path / "models", champion=True)
    pipeline = ArtifactPublisher(tmp_path / "models").load(version).pipeline
    rng = np.random.default_rng(3)
    # a burst in May, then quieter months: May holds most of the holdout
    days = np.concatenate(
        [rng.integers(0, 120, 2260), rng.integers(120, 151, 500), rng.integers(151, 273, 240)]
    )
    dates = np.sort(np.datetime64("2009-01-01") + days).astype("datetime64[D]")
    log_odds = rng.normal(-1, 1, 3000)
    target = rng.random(3000) < 1 / (1 + np.exp(-log_odds))
    everyone = np.ones(3000, dtype=bool)
    evaluation = evaluate(log_odds, target, dates, everyone, everyone)
    policy = CalibrationPolicy()
    months = [{"month": m["group"], "roc_auc": 0.6, **m} for m in evaluation.summary()["by_month"]]
    metadata = {
        "version": version,
        "model_family": "logistic",
        "trained_at": "2026-01-01T00:00:00+00:00",
        "data": {"rows_train": 2400, "rows_holdout": 600, "holdout_first_date": str(evaluation.dates[0])},
        "training_window": {"since": None, "until": "2009-04-01"},
        "fit": {"first_date": "2009-01-01", "last_date": "2009-03-31", "rows": 3000, "cutoff": "2009-04-01"},
        "protocol": {"scored_as": "served", "calibration": policy.as_dict()},
        **evaluation.summary(),
        **uncertainty_figures(evaluation.target, evaluation.probability, evaluation.dates),
        "sensitivity": {
            "reporting_lag_days": lag_sensitivity(log_odds, target, dates, everyone, everyone, policy)
        },
        "backtest": {
            "months": months,
            "contacts": 600,
            "pooled_roc_auc": 0.6,
            "pooled_roc_auc_interval": [0.55, 0.65],
            "pooled_brier": 0.2,
        },
        "promotion": {
            "decision": "refused",
            "comparison": {
                "champion": "20250101T000000Z",
                "auc_candidate": 0.6,
                "auc_champion": 0.7,
                "auc_difference_interval": [-0.15, -0.05],
                "brier_candidate": 0.2,
                "brier_champion": 0.18,
                "reason": "worse",
            },
        },
    }
    path = tmp_path / "report.html"
    path.write_bytes(render_report(metadata, evaluation, pipeline))
    return path


def test_the_report_is_self_contained(report):
    page = report.read_text()
    assert "refit on 3000 contacts, 2009-01-01 .. 2009-03-31 (cutoff 2009-04-01)" in page
    assert not re.search(r'(src|href)="https?://', page)
    assert "<script" not in page and "@import" not in page
    assert "<td>roc_auc</td><td>" in page and "Left out: 2009-05 (" in page


@needs_chromium
def test_chromium_draws_every_section(report, tmp_path):
    dom = headless(report.as_uri(), tmp_path / "profile")
    assert re.findall(r"<h2>([^<]+)</h2>", dom) == SECTIONS
    assert dom.count("<svg") == 5  # curves, reliability, months, terms, backtest
    assert "Decision: refused" in dom and "champion 20250101T000000Z" in dom
    assert "Judged with a reporting lag of 0 days" in dom and "refuses 0 of the" in dom
    screenshot = tmp_path / "report.png"
    headless(report.as_uri(), tmp_path / "profile", f"--screenshot={screenshot}", "--window-size=1200,4000")
    assert screenshot.stat().st_size > 50_000  # charts drawn, not a blank page
