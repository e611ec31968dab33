"""The `/monitoring` page as a person sees it: headless Chromium opens the HTML alone (no network,
no server) with a month of measures of two model versions, and draws every chart."""

import re
from datetime import date, timedelta

import numpy as np
import pytest

from chaos.domain.served_figures import day_performance
from chaos.entrypoints.web.monitoring_page import CHARTS, render
from tests.functional.chromium import headless, needs_chromium

FIRST = date(2026, 10, 1)


@pytest.fixture
def page(tmp_path):
    rng = np.random.default_rng(5)
    days = np.array([FIRST + timedelta(days=int(d)) for d in rng.integers(0, 30, 3000)], "datetime64[D]")
    probability = rng.uniform(0.02, 0.6, 3000)
    target = rng.uniform(size=3000) < probability
    measured = sorted({day.astype(object) for day in days})
    history = [
        day_performance(version, day, target, np.clip(probability * scale, 0, 1), days)
        for version, scale in (("v1", 1.0), ("v2", 1.3))
        for day in measured
    ]
    path = tmp_path / "monitoring.html"
    path.write_text(render(history, FIRST))
    return path


def test_the_page_is_self_contained(page):
    html = page.read_text()
    assert not re.search(r'(src|href)="https?://', html)
    assert "<script" not in html and "@import" not in html


@needs_chromium
def test_chromium_draws_every_chart(page, tmp_path):
    dom = headless(page.as_uri(), tmp_path / "profile")
    assert dom.count("<svg") == len(CHARTS)
    assert dom.count('class="series"') == 2 * len(CHARTS)
    screenshot = tmp_path / "monitoring.png"
    headless(page.as_uri(), tmp_path / "profile", f"--screenshot={screenshot}", "--window-size=1000,3000")
    assert screenshot.stat().st_size > 30_000  # charts drawn, not a blank page
