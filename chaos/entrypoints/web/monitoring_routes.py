"""`GET /monitoring`: the served model's measured performance over time, as an HTML page."""

from datetime import date, timedelta

from flask import Blueprint, Response

from chaos.entrypoints.web.extension import current_serving
from chaos.entrypoints.web.monitoring_page import render
from chaos.entrypoints.web.operations import Operation, problems
from chaos.infrastructure.api_keys import Scope

blueprint = Blueprint("monitoring", __name__)

HISTORY_DAYS = 180
"""How far back the page looks: half a year shows a trend without an unreadable chart."""


@blueprint.get("/monitoring")
@Operation(
    "monitoring",
    "The served model's measured performance (HTML)",
    "A self-contained HTML page (charts inline, nothing fetched): for each model version, the figures "
    f"`chaos monitor` recorded day by day over the last {HISTORY_DAYS} days (Brier skill, "
    "calibration-in-the-large and slope, ROC AUC and within-day AUC, observed rate, mean prediction, "
    "contacts) and the newest day's values. Open without a key where `/metrics` is (the pod's internal "
    "port, a local run) unless `api.metrics_require_key`; through the public edge it needs one.",
    answer={"text/html": {"schema": {"type": "string"}}},
    scope=Scope.READ_MODELS,
    needs_key=lambda api: api.metrics_require_key,
    keyed_at_edge=True,
    problems=problems(503),
)
def monitoring():
    first = date.today() - timedelta(days=HISTORY_DAYS)
    history = current_serving().service.performance_history(first)
    return Response(render(history, first), mimetype="text/html")
