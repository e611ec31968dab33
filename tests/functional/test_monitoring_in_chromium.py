"""The `/monitoring` page as a person sees it: headless Chromium opens the HTML alone (no network,
no server) with a month of measures of two model versions, and draws every chart; and opens it from
a serving app with no key, as a browser does after `make run`, days labelled on every time axis."""

import re
import threading
from datetime import date, timedelta

import numpy as np
import pytest
from werkzeug.serving import make_server

from chaos.bootstrap import web_worker
from chaos.domain.performance import MeasureSource
from chaos.domain.served_figures import day_performance
from chaos.entrypoints.web.app_factory import create_app
from chaos.entrypoints.web.monitoring_page import CHARTS, render
from chaos.infrastructure.api_keys import key_hash
from chaos.infrastructure.config import Settings
from chaos.infrastructure.config.settings import ApiSettings
from tests.fakes import FakeScoringModel, InMemoryPerformanceLog, InMemorySocioEcoRepository
from tests.functional.chromium import headless, needs_chromium

FIRST = date(2026, 10, 1)


def history_of_a_month() -> list:
    """Two model versions measured on a month of random contacts, as served."""
    rng = np.random.default_rng(5)
    days = np.array([FIRST + timedelta(days=int(d)) for d in rng.integers(0, 30, 3000)], "datetime64[D]")
    probability = rng.uniform(0.02, 0.6, 3000)
    target = rng.uniform(size=3000) < probability
    measured = sorted({day.astype(object) for day in days})
    history = [
        day_performance(version, day, target, np.clip(probability * scale, 0, 1), days, MeasureSource.SERVED)
        for version, scale in (("v1", 1.0), ("v2", 1.3))
        for day in measured
    ]
    return history


@pytest.fixture
def page(tmp_path):
    path = tmp_path / "monitoring.html"
    path.write_text(render(history_of_a_month(), FIRST))
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


@needs_chromium
def test_a_browser_opens_the_served_page_without_a_key_and_reads_days_on_every_axis(tmp_path):
    """As after `make run`: the app serves /monitoring where /metrics is open, with no key header."""
    performance = InMemoryPerformanceLog()
    performance.record(history_of_a_month())
    settings = Settings(api=ApiSettings(keys=[key_hash("not-the-browser-s")]))
    app = create_app(
        web_worker(
            settings,
            model=FakeScoringModel(),
            repository=InMemorySocioEcoRepository(),
            performance=performance,
        )
    )
    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        dom = headless(f"http://127.0.0.1:{server.server_port}/monitoring", tmp_path / "profile")
    finally:
        server.shutdown()
    assert 'id="empty"' not in dom and dom.count("<svg") == len(CHARTS)
    for chart in re.findall(r"<svg.*?</svg>", dom, re.S):
        labelled = re.findall(r'class="day"[^>]*>(\d{4}-\d{2}-\d{2})<', chart)
        assert labelled[0] == str(FIRST) and len(labelled) >= 2, chart[:200]
