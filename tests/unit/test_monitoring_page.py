"""`/monitoring`: the measured performance drawn per model version, the newest day in a table, an
empty store said as such; open where `/metrics` is, and through the public edge only for keys that
may read models."""

import re
from dataclasses import replace
from datetime import date, timedelta

from chaos.bootstrap import web_worker
from chaos.domain.performance import DayPerformance, MeasureSource
from chaos.entrypoints.web.app_factory import create_app
from chaos.entrypoints.web.auth import EDGE_HEADER
from chaos.entrypoints.web.monitoring_page import CHARTS, render
from chaos.infrastructure.api_keys import key_hash, new_key
from chaos.infrastructure.config import Settings
from chaos.infrastructure.config.settings import ApiSettings
from tests.fakes import FakeScoringModel, InMemorySocioEcoRepository
from tests.web_clients import keyed_client

FIRST = date(2026, 6, 1)
DAY = DayPerformance(
    "v1", FIRST, 40, 0.1, 0.12, 0.08, 0.09, 0.11, -0.02, 0.9, 0.7, 0.68, MeasureSource.SERVED
)


def history() -> list[DayPerformance]:
    v1 = [replace(DAY, day=FIRST + timedelta(days=d), brier_skill=0.1 - d / 100) for d in range(5)]
    v2 = [
        replace(DAY, model_version="v2", day=FIRST + timedelta(days=d), calibration_slope=None)
        for d in range(3, 5)
    ]
    return v1 + v2


def test_every_chart_draws_one_line_per_version_with_its_days():
    page = render(history(), FIRST)
    for chart in CHARTS:
        svg = re.search(rf'<svg[^>]*data-figure="{chart.figure}".*?</svg>', page, flags=re.DOTALL)
        assert svg is not None, chart.figure
        lines = dict(re.findall(r'data-version="([^"]+)"[^>]*points="([^"]+)"', svg.group()))
        expected = {"v1": 5} if chart.figure == "calibration_slope" else {"v1": 5, "v2": 2}
        assert {version: len(points.split()) for version, points in lines.items()} == expected


def test_a_value_that_is_not_finite_is_left_out_of_its_chart_and_tabled_as_undefined():
    days = [replace(DAY, day=FIRST + timedelta(days=d), calibration_slope=0.9 + d / 100) for d in range(4)]
    days[1] = replace(days[1], calibration_slope=float("nan"))
    days[3] = replace(days[3], calibration_slope=float("inf"))
    page = render(days, FIRST)
    svg = re.search(r'<svg[^>]*data-figure="calibration_slope".*?</svg>', page, flags=re.DOTALL).group()
    (points,) = re.findall(r'points="([^"]+)"', svg)
    assert len(points.split()) == 2  # days 0 and 2
    assert "nan" not in svg.lower() and "inf" not in svg.lower()
    assert re.findall(r"<title>v1 (\S+): ", svg) == ["2026-06-01", "2026-06-03"]
    table = re.search(r'<table id="latest">.*?</table>', page, flags=re.DOTALL).group()
    assert "n/a" in table  # the newest day's infinite slope


def test_the_time_axis_names_its_days():
    page = render(history(), FIRST)
    svg = re.search(r'<svg[^>]*data-figure="brier_skill".*?</svg>', page, flags=re.DOTALL).group()
    assert re.findall(r'<text class="day"[^>]*>([^<]+)</text>', svg) == [
        str(FIRST + timedelta(days=d)) for d in range(5)
    ]
    month = [replace(DAY, day=FIRST + timedelta(days=d)) for d in range(30)]
    svg = re.search(r'<svg[^>]*data-figure="roc_auc".*?</svg>', render(month, FIRST), flags=re.DOTALL).group()
    labelled = re.findall(r'<text class="day"[^>]*>([^<]+)</text>', svg)
    assert len(labelled) == 5 and (labelled[0], labelled[-1]) == ("2026-06-01", "2026-06-30")


def test_the_newest_day_of_each_version_is_tabled():
    page = render(history(), FIRST)
    table = re.search(r'<table id="latest">.*?</table>', page, flags=re.DOTALL).group()
    assert "<td>v1</td><td>2026-06-05</td>" in table
    assert "<td>0.060</td>" in table  # v1's skill on its newest day
    assert "n/a" in table  # v2's undefined slope


def test_an_empty_store_says_what_to_run():
    assert 'id="empty"' in render([], FIRST)


def monitoring_app(metrics_require_key: bool = False):
    reader, scorer = new_key(), new_key()
    keys = [
        {"hash": key_hash(reader), "scopes": ["read_models"]},
        {"hash": key_hash(scorer), "scopes": ["score"]},
    ]
    settings = Settings(api=ApiSettings(keys=keys, metrics_require_key=metrics_require_key))
    app = create_app(web_worker(settings, model=FakeScoringModel(), repository=InMemorySocioEcoRepository()))
    return app, reader, scorer


def test_through_the_public_edge_monitoring_needs_the_read_models_scope():
    app, reader, scorer = monitoring_app()
    public = {EDGE_HEADER: "public"}
    page = keyed_client(app, reader).get("/monitoring", headers=public)
    assert page.status_code == 200
    assert page.content_type.startswith("text/html")
    assert keyed_client(app, scorer).get("/monitoring", headers=public).json["scope"] == "read_models"
    assert app.test_client().get("/monitoring", headers=public).status_code == 401


def test_where_metrics_are_open_a_browser_opens_monitoring_without_a_key():
    app, _, _ = monitoring_app()
    assert app.test_client().get("/monitoring").status_code == 200
    assert app.test_client().get("/metrics").status_code == 200
    keyed, _, _ = monitoring_app(metrics_require_key=True)
    assert keyed.test_client().get("/monitoring").status_code == 401
