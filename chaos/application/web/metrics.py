"""`GET /metrics` (Prometheus text format) and what it counts.

prometheus-client is the reference client; under gunicorn it runs in multiprocess mode (the
directory set up by gunicorn.conf.py through chaos.application.metrics_directory) and `/metrics`
sums every worker's samples. Without that directory (tests, `flask run`) the process's own
registry is served.
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
from chaos.domain.as_of import DEFAULT_LAG_DAYS
from chaos.domain.calibration import Calibration
from chaos.domain.repositories import IndicatorsUnavailable, SocioEcoRepository
from chaos.domain.socio_eco import SocioEcoIndicators

REQUESTS = Counter("chaos_http_requests", "HTTP requests answered", ["endpoint", "method", "status"])
LATENCY = Histogram(
    "chaos_http_request_duration_seconds",
    "Time to answer a request",
    ["endpoint"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
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

CALIBRATION_OFFSET = Gauge(
    "chaos_calibration_offset",
    "Log-odds shift of today's calibration (0: too few recent outcomes)",
    ["model_version"],
    multiprocess_mode="mostrecent",
)
CALIBRATION_RATE = Gauge(
    "chaos_calibration_observed_rate",
    "Subscription rate of the trailing window today's calibration uses (NaN: too few outcomes)",
    ["model_version"],
    multiprocess_mode="mostrecent",
)

blueprint = Blueprint("metrics", __name__)


@blueprint.get("/metrics")
def metrics():
    registry = REGISTRY
    if os.environ.get(VARIABLE):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
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


def scores_returned(version: str, scores: Iterable[float]) -> None:
    histogram = APPETENCE.labels(version)
    for score in scores:
        histogram.observe(score)


def calibration_refreshed(version: str, day: date, calibration: Calibration) -> None:
    """Gauges follow the calibration of today, the one live traffic uses; past days leave them."""
    if day == date.today():
        CALIBRATION_OFFSET.labels(version).set(calibration.shift)
        rate = calibration.observed_rate
        CALIBRATION_RATE.labels(version).set(float("nan") if rate is None else rate)


def cache_lookup(hit: bool) -> None:
    CACHE.labels("hit" if hit else "miss").inc()


class MeasuredSocioEcoRepository(SocioEcoRepository):
    """Times every read of the live repository and counts the failures (then lets them through)."""

    def __init__(self, inner: SocioEcoRepository):
        self.inner = inner

    def as_of(self, contact_date: date, lag_days: int = DEFAULT_LAG_DAYS) -> SocioEcoIndicators | None:
        return self._measure("as_of", lambda: self.inner.as_of(contact_date, lag_days))

    def as_of_many(
        self, contact_dates: Iterable[date], lag_days: int = DEFAULT_LAG_DAYS
    ) -> dict[date, SocioEcoIndicators | None]:
        return self._measure("as_of_many", lambda: self.inner.as_of_many(contact_dates, lag_days))

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
