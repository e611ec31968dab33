"""The `/monitoring` page: the served model's measured performance over time, one self-contained
HTML document (charts as inline SVG, nothing fetched), like the model report.

The charts are drawn here as SVG polylines rather than with matplotlib, which serving does not
install: a line per model version over the days measured, with the threshold an alert watches, its
days marked on the time axis and each point naming its day. A figure that is undefined (None) or
not finite on a day is left out of its chart and shown as n/a in the table, so one such value
cannot flatten the others.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import groupby

from jinja2 import Environment
from markupsafe import escape

from chaos.domain.performance import DayPerformance

WIDTH, HEIGHT, MARGIN = 640, 220, 40
DATE_TICKS = 5
"""At most this many days labelled on a chart's time axis, the first and the last among them."""
COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e")


@dataclass(frozen=True)
class Chart:
    title: str
    figure: str
    reference: float | None
    """A horizontal line: the level an alert compares with, or the value of a perfect model."""


CHARTS = (
    Chart("Brier skill against the observed rate (alert below 0 for 3 days)", "brier_skill", 0.0),
    Chart(
        "Calibration-in-the-large: observed minus predicted (alert beyond ±0.05)",
        "calibration_in_the_large",
        0.0,
    ),
    Chart("Calibration slope (1: the spread of the scores is right)", "calibration_slope", 1.0),
    Chart("ROC AUC, 7 days pooled", "roc_auc", 0.5),
    Chart("Within-day AUC, 7 days", "within_day_auc", 0.5),
    Chart("Observed subscription rate", "observed_rate", None),
    Chart("Mean served probability", "mean_prediction", None),
    Chart("Resolved contacts measured", "contacts", None),
)

_PAGE = Environment(autoescape=True).from_string(
    """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>chaos: served performance</title>
<style>body{font-family:sans-serif;margin:2em;max-width:60em}table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:.2em .6em;text-align:right}svg{display:block;margin-bottom:1.5em}
.legend span{margin-right:1.5em}</style></head>
<body><h1>Served performance</h1>
<p>Resolved contacts scored as they were served, measured daily by <code>chaos monitor</code>
from {{ first }}.</p>
{% if not latest %}<p id="empty">Nothing measured yet: run <code>chaos monitor</code> once outcomes
are known.</p>
{% else %}<h2>Newest day measured</h2>
<table id="latest"><tr><th>model version</th><th>day</th><th>contacts</th><th>Brier skill</th>
<th>calibration-in-the-large</th><th>calibration slope</th><th>ROC AUC</th><th>within-day AUC</th></tr>
{% for m in latest %}<tr><td>{{ m.model_version }}</td><td>{{ m.day }}</td><td>{{ m.contacts }}</td>
<td>{{ fmt(m.brier_skill) }}</td><td>{{ fmt(m.calibration_in_the_large) }}</td>
<td>{{ fmt(m.calibration_slope) }}</td><td>{{ fmt(m.roc_auc) }}</td><td>{{ fmt(m.within_day_auc) }}</td></tr>
{% endfor %}</table>
<p class="legend">{% for version, colour in colours %}
<span style="color:{{ colour }}">&#9632; {{ version }}</span>{% endfor %}</p>
{% for chart in charts %}<h2>{{ chart.title }}</h2>{{ chart.svg | safe }}{% endfor %}
{% endif %}</body></html>
"""
)


@dataclass(frozen=True)
class _Drawn:
    title: str
    svg: str


def render(history: Sequence[DayPerformance], first: date) -> str:
    """The page for `history` (every measure since `first`, by model version then day)."""
    versions = [version for version, _ in groupby(history, key=lambda m: m.model_version)]
    colours = {version: COLOURS[i % len(COLOURS)] for i, version in enumerate(versions)}
    latest = [list(days)[-1] for _, days in groupby(history, key=lambda m: m.model_version)]
    charts = [_Drawn(chart.title, _svg(chart, history, colours)) for chart in CHARTS]
    return _PAGE.render(
        first=first, latest=latest, charts=charts, colours=list(colours.items()), fmt=_formatted
    )


def _formatted(value: float | None) -> str:
    return f"{value:.3f}" if _defined(value) else "n/a"


def _defined(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


def _svg(chart: Chart, history: Sequence[DayPerformance], colours: dict[str, str]) -> str:
    points = [(m.model_version, m.day, getattr(m, chart.figure)) for m in history]
    known = [(version, day, float(value)) for version, day, value in points if _defined(value)]
    if not known:
        return '<p class="no-data">no day with this figure defined</p>'
    days = [day.toordinal() for _, day, _ in known]
    values = [value for _, _, value in known] + ([chart.reference] if chart.reference is not None else [])
    low_day, high_day = min(days), max(days)
    low, high = min(values), max(values)
    if high == low:
        low, high = low - 0.5, high + 0.5

    def x(day: date) -> float:
        return MARGIN + (day.toordinal() - low_day) / max(high_day - low_day, 1) * (WIDTH - 2 * MARGIN)

    def y(value: float) -> float:
        return HEIGHT - MARGIN - (value - low) / (high - low) * (HEIGHT - 2 * MARGIN)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'data-figure="{chart.figure}" role="img">',
        f'<text x="{MARGIN}" y="{MARGIN - 10}" font-size="11">{high:.3g}</text>',
        f'<text x="{MARGIN}" y="{HEIGHT - MARGIN + 14}" font-size="11">{low:.3g}</text>',
        *(
            f'<text class="day" x="{x(day):.1f}" y="{HEIGHT - 5}" font-size="11" text-anchor="middle">'
            f"{day}</text>"
            for day in _ticks(low_day, high_day)
        ),
    ]
    if chart.reference is not None:
        level = y(chart.reference)
        parts.append(
            f'<line class="reference" x1="{MARGIN}" x2="{WIDTH - MARGIN}" y1="{level:.1f}" y2="{level:.1f}" '
            'stroke="#888" stroke-dasharray="4 3"/>'
        )
    for version, series in groupby(known, key=lambda point: point[0]):
        drawn = list(series)
        coordinates = " ".join(f"{x(day):.1f},{y(value):.1f}" for _, day, value in drawn)
        parts.append(
            f'<polyline class="series" data-version="{escape(version)}" fill="none" '
            f'stroke="{colours[version]}" stroke-width="1.5" points="{coordinates}"/>'
        )
        parts.extend(
            f'<circle cx="{x(day):.1f}" cy="{y(value):.1f}" r="2" fill="{colours[version]}">'
            f"<title>{escape(version)} {day}: {value:.3f}</title></circle>"
            for _, day, value in drawn
        )
    parts.append("</svg>")
    return "".join(parts)


def _ticks(first: int, last: int) -> list[date]:
    """Up to DATE_TICKS days evenly spread from `first` to `last` (ordinals), both included."""
    count = min(DATE_TICKS, last - first + 1)
    if count == 1:
        return [date.fromordinal(first)]
    return [date.fromordinal(first + round(i * (last - first) / (count - 1))) for i in range(count)]
