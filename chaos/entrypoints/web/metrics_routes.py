"""`GET /metrics` (Prometheus text format) and the request counts and latencies behind it; what is
counted, and how workers' samples are summed, is chaos.infrastructure.metrics.prometheus."""

import contextlib
import time

from flask import Blueprint, Response
from prometheus_client import CONTENT_TYPE_LATEST

from chaos.domain.repositories import IndicatorsUnavailable
from chaos.entrypoints.web.extension import current_serving
from chaos.entrypoints.web.operations import Operation
from chaos.entrypoints.web.request_context import current_request, request_globals
from chaos.infrastructure.api_keys import Scope
from chaos.infrastructure.metrics.prometheus import exposition, request_answered

blueprint = Blueprint("metrics", __name__)


@blueprint.get("/metrics")
@Operation(
    "metrics",
    "Prometheus metrics",
    "Requests, latencies, appetences, database reads, cache hits, loaded models, age of the newest "
    "socio-economic month and of the newest outcome calibrating today's scores, the served model's "
    "measured performance; all workers.",
    answer={"text/plain": {"schema": {"type": "string"}}},
    scope=Scope.READ_MODELS,
    needs_key=lambda api: api.metrics_require_key,
)
def metrics():
    service = current_serving().service
    with contextlib.suppress(IndicatorsUnavailable):  # the gauges keep their last value; reads are counted
        service.freshness()  # sets chaos_socio_eco_age_days
    with contextlib.suppress(IndicatorsUnavailable):
        service.calibration_today()  # sets chaos_outcomes_age_days and chaos_calibration_stale
    with contextlib.suppress(IndicatorsUnavailable):
        service.served_performance()  # sets chaos_served_performance
    return Response(exposition(), content_type=CONTENT_TYPE_LATEST)


def start_clock() -> None:
    request_globals().started = time.perf_counter()


def count(response: Response) -> Response:
    """The answer counted under its route's rule, timed from `start_clock` (request_cycle.py)."""
    request = current_request()
    rule = request.url_rule
    started = request_globals().get("started")
    seconds = None if started is None else time.perf_counter() - started
    request_answered(rule.rule if rule else "unmatched", request.method, response.status_code, seconds)
    return response
