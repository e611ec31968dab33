"""What chaos counts, as Prometheus instruments, and the functions the service and the web report through.

prometheus-client is the reference client; under gunicorn it runs in multiprocess mode (the
directory set up by the gunicorn settings through chaos.application.metrics_directory), and the
exposition sums every worker's samples. Without that directory (tests, `flask run`) the process's
own registry is served.

The instruments are created on first use, not at import: importing chaos registers nothing and,
in multiprocess mode, writes no sample file.
"""

import functools
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

from chaos.application.metrics_directory import VARIABLE, ensure
from chaos.domain.calibration import Calibration


@dataclass(frozen=True)
class Instruments:
    requests: Counter
    latency: Histogram
    appetence: Histogram
    batch_rows: Histogram
    db_latency: Histogram
    db_errors: Counter
    cache: Counter
    model_info: Gauge
    calibration_offset: Gauge
    calibration_rate: Gauge
    socio_eco_age: Gauge


@functools.cache
def instruments() -> Instruments:
    """The process's instruments, registered once with prometheus-client's default registry."""
    ensure()
    return Instruments(
        requests=Counter("chaos_http_requests", "HTTP requests answered", ["endpoint", "method", "status"]),
        latency=Histogram(
            "chaos_http_request_duration_seconds",
            "Time to answer a request",
            ["endpoint"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
        ),
        appetence=Histogram(
            "chaos_appetence",
            "Appetences returned",
            ["model_version"],
            buckets=tuple(round(0.1 * step, 1) for step in range(1, 11)),
        ),
        batch_rows=Histogram(
            "chaos_batch_rows",
            "Customers per batch request",
            buckets=(1, 10, 100, 1000, 5000, 10_000, 100_000),
        ),
        db_latency=Histogram(
            "chaos_socio_eco_lookup_duration_seconds",
            "PostgreSQL reads of socio_eco",
            ["operation"],
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
        ),
        db_errors=Counter("chaos_socio_eco_lookup_errors", "socio_eco reads that failed", ["operation"]),
        cache=Counter("chaos_socio_eco_cache_lookups", "socio_eco cache lookups", ["result"]),
        model_info=Gauge(
            "chaos_model_info",
            "Model versions loaded (1); role is default or requested",
            ["version", "role"],
            multiprocess_mode="max",
        ),
        calibration_offset=Gauge(
            "chaos_calibration_offset",
            "Log-odds shift of today's calibration (0: too few recent outcomes)",
            ["model_version"],
            multiprocess_mode="mostrecent",
        ),
        calibration_rate=Gauge(
            "chaos_calibration_observed_rate",
            "Subscription rate of the trailing window today's calibration uses (NaN: too few outcomes)",
            ["model_version"],
            multiprocess_mode="mostrecent",
        ),
        socio_eco_age=Gauge(
            "chaos_socio_eco_age_days",
            "Days between today and the newest complete socio_eco month (read when /metrics or /ready is)",
            multiprocess_mode="mostrecent",
        ),
    )


def exposition() -> bytes:
    """Every sample in the text format: all workers' under gunicorn, else this process's."""
    registry = REGISTRY
    if os.environ.get(VARIABLE):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    return generate_latest(registry)


def request_answered(endpoint: str, method: str, status: int, seconds: float | None) -> None:
    """`seconds` is None when the request never reached the clock (refused before any hook ran)."""
    measured = instruments()
    measured.requests.labels(endpoint, method, str(status)).inc()
    if seconds is not None:
        measured.latency.labels(endpoint).observe(seconds)


def model_loaded(version: str, role: str) -> None:
    instruments().model_info.labels(version, role).set(1)


def scores_returned(version: str, scores: Iterable[float]) -> None:
    histogram = instruments().appetence.labels(version)
    for score in scores:
        histogram.observe(score)


def campaign_scored(rows: int) -> None:
    instruments().batch_rows.observe(rows)


def calibration_refreshed(version: str, day: date, calibration: Calibration) -> None:
    """The gauges follow today's calibration, the one live traffic uses; past days leave them."""
    if day == date.today():
        measured = instruments()
        measured.calibration_offset.labels(version).set(calibration.shift)
        rate = calibration.observed_rate
        measured.calibration_rate.labels(version).set(float("nan") if rate is None else rate)


def cache_lookup(hit: bool) -> None:
    instruments().cache.labels("hit" if hit else "miss").inc()


def socio_eco_age(days: int) -> None:
    instruments().socio_eco_age.set(days)


def socio_eco_read(operation: str, seconds: float, failed: bool) -> None:
    measured = instruments()
    if failed:
        measured.db_errors.labels(operation).inc()
    measured.db_latency.labels(operation).observe(seconds)
