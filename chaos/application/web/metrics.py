"""`GET /metrics` (Prometheus text format) and what it counts.

prometheus-client is the reference client; under gunicorn it runs in multiprocess mode (the
directory set up by gunicorn.conf.py through chaos.application.metrics_directory) and `/metrics`
sums every worker's samples and adds the `process_*` metrics of every gunicorn process. Without
that directory (tests, `flask run`) the process's own registry is served.
"""

import os
import time
from collections.abc import Callable, Iterable
from datetime import date

from flask import Blueprint, Flask, Response, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

from chaos.application.metrics_directory import VARIABLE
from chaos.application.web.process_metrics import GunicornProcesses
from chaos.domain.repositories import IndicatorsUnavailable, SocioEcoRepository
from chaos.domain.socio_eco import SocioEcoIndicators

REQUESTS = Counter("chaos_http_requests", "HTTP requests answered", ["endpoint", "method", "status"])
REFUSALS = Counter(
    "chaos_refusals", "Answers without a score (problem+json), by reason", ["reason", "status"]
)
LATENCY = Histogram(
    "chaos_http_request_duration_seconds",
    "Time to answer a request",
    ["endpoint"],
    # A single score takes about 2 ms: fine steps from 0.5 ms so a regression shows where it happens.
    buckets=(
        0.0005,
        0.001,
        0.0015,
        0.002,
        0.003,
        0.005,
        0.0075,
        0.01,
        0.025,
        0.05,
        0.1,
        0.25,
        0.5,
        1,
        2.5,
        10,
    ),
)
APPETENCE = Histogram(
    "chaos_appetence",
    "Appetences returned",
    ["model_version"],
    buckets=tuple(round(0.1 * step, 1) for step in range(1, 11)),
)
BATCH_ROWS = Histogram(
    "chaos_batch_rows", "Customers per batch request", buckets=(1, 10, 100, 1000, 5000, 10_000, 100_000)
)
DB_LATENCY = Histogram(
    "chaos_socio_eco_lookup_duration_seconds",
    "PostgreSQL reads of socio_eco",
    ["operation"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
)
DB_ERRORS = Counter("chaos_socio_eco_lookup_errors", "socio_eco reads that failed", ["operation"])
CACHE = Counter("chaos_socio_eco_cache_lookups", "socio_eco cache lookups", ["result"])
MODEL_INFO = Gauge(
    "chaos_model_info",
    "Model versions loaded (1); role is default or requested",
    ["version", "role"],
    multiprocess_mode="max",
)
WORKER_EXITS = Counter("chaos_worker_exits", "gunicorn workers that exited (killed, crashed or stopped)")

blueprint = Blueprint("metrics", __name__)


@blueprint.get("/metrics")
def metrics():
    registry = REGISTRY
    if os.environ.get(VARIABLE):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        registry.register(GunicornProcesses())
    return Response(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)


def install(app: Flask) -> None:
    app.before_request(_start)
    app.after_request(_count)
    app.register_blueprint(blueprint)


def _start() -> None:
    g.started = time.perf_counter()


def _count(response: Response) -> Response:
    endpoint = request.url_rule.rule if request.url_rule else "unmatched"
    REQUESTS.labels(endpoint, request.method, str(response.status_code)).inc()
    if "started" in g:
        LATENCY.labels(endpoint).observe(time.perf_counter() - g.started)
    return response


def model_loaded(version: str, role: str) -> None:
    MODEL_INFO.labels(version, role).set(1)


def refused(reason: str, status: int) -> None:
    REFUSALS.labels(reason, str(status)).inc()


def worker_exited(pid: int) -> None:
    """In gunicorn's master: count the exit and drop the dead worker's live-gauge samples (its
    counters stay: they were served)."""
    WORKER_EXITS.inc()
    multiprocess.mark_process_dead(pid)


def scores_returned(version: str, scores: Iterable[float]) -> None:
    histogram = APPETENCE.labels(version)
    for score in scores:
        histogram.observe(score)


def cache_lookup(hit: bool) -> None:
    CACHE.labels("hit" if hit else "miss").inc()


class MeasuredSocioEcoRepository(SocioEcoRepository):
    """Times every read of the live repository and counts the failures (then lets them through)."""

    def __init__(self, inner: SocioEcoRepository):
        self.inner = inner

    def as_of(self, contact_date: date) -> SocioEcoIndicators | None:
        return self._measure("as_of", lambda: self.inner.as_of(contact_date))

    def as_of_many(self, contact_dates: Iterable[date]) -> dict[date, SocioEcoIndicators | None]:
        return self._measure("as_of_many", lambda: self.inner.as_of_many(contact_dates))

    def known_range(self) -> tuple[date, date] | None:
        return self._measure("known_range", self.inner.known_range)

    @staticmethod
    def _measure(operation: str, read: Callable):
        started = time.perf_counter()
        try:
            return read()
        except IndicatorsUnavailable:
            DB_ERRORS.labels(operation).inc()
            raise
        finally:
            DB_LATENCY.labels(operation).observe(time.perf_counter() - started)
