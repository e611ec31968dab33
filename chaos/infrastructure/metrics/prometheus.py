"""What chaos counts, as Prometheus instruments, and the functions the service and the web report through.

prometheus-client is the reference client; under gunicorn it runs in multiprocess mode (the directory
set up by the gunicorn settings through multiprocess_directory), and the
exposition sums every worker's samples and adds the `process_*` metrics of every gunicorn process.
Without that directory (tests, `flask run`) the process's own registry is served.

The instruments are created on first use, not at import: importing chaos registers nothing and,
in multiprocess mode, writes no sample file.
"""

import functools
import os
from collections.abc import Iterable, Mapping
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
    values,
)

from chaos.domain.calibration import Calibration
from chaos.domain.outcome import Outcome
from chaos.domain.performance import DayPerformance
from chaos.domain.report_bounds import RefusalReason
from chaos.infrastructure import process_id
from chaos.infrastructure.config.watched_keys import APPLIED, REFUSED
from chaos.infrastructure.metrics import multiprocess_directory
from chaos.infrastructure.metrics.multiprocess_directory import VARIABLE, ensure
from chaos.infrastructure.metrics.processes import GunicornProcesses

# fmt: off
LATENCY_BUCKETS = (
    0.00025, 0.0005, 0.00075, 0.001, 0.0015, 0.002, 0.003, 0.005, 0.0075,
    0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
)
# fmt: on
"""A score takes about 1 ms in the app: fine steps from 0.25 ms, so a regression shows where it happens."""
PERFORMANCE_FIGURES = (
    "contacts",
    "observed_rate",
    "mean_prediction",
    "brier",
    "brier_constant",
    "brier_skill",
    "calibration_in_the_large",
    "calibration_slope",
    "roc_auc",
    "within_day_auc",
)
"""The `figure` label values of chaos_served_performance: every measure of a DayPerformance."""


@dataclass(frozen=True)
class Instruments:
    requests: Counter
    refusals: Counter
    latency: Histogram
    appetence: Histogram
    batch_rows: Histogram
    rows_unscored: Counter
    db_latency: Histogram
    db_errors: Counter
    cache: Counter
    model_info: Gauge
    refresh_failures: Counter
    worker_exits: Counter
    calibration_offset: Gauge
    calibration_rate: Gauge
    calibration_stale: Gauge
    calibration_moved: Gauge
    outcomes_age: Gauge
    socio_eco_age: Gauge
    served_performance: Gauge
    served_written: Counter
    served_dropped: Counter
    key_reloads: Counter
    outcomes_written: Counter
    outcomes_refused: Counter


@functools.cache
def instruments() -> Instruments:
    """The process's instruments, registered once with prometheus-client's default registry. In
    multiprocess mode, each sample's writer learns the process id from `process_id`: by default it
    asks the kernel before every write (six a scoring request), to notice a fork."""
    ensure()
    if values.ValueClass is not values.MutexValue:
        values.ValueClass = values.MultiProcessValue(process_id.current)
    built = Instruments(
        requests=Counter("chaos_http_requests", "HTTP requests answered", ["endpoint", "method", "status"]),
        refusals=Counter("chaos_refusals", "Answers without a score (problem+json)", ["reason", "status"]),
        latency=Histogram(
            "chaos_http_request_duration_seconds",
            "Time to answer a request",
            ["endpoint"],
            buckets=LATENCY_BUCKETS,
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
        rows_unscored=Counter(
            "chaos_batch_rows_unscored",
            "Batch rows answered with a per-row problem instead of a score, for lack of data",
            ["reason"],
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
            "Model versions loaded (1, 0 once the default moved on); role: default or requested",
            ["version", "role"],
            multiprocess_mode="mostrecent",
        ),
        refresh_failures=Counter(
            "chaos_model_refresh_failures",
            "Champions a worker could not follow, the served one stayed; reason: pointer (unsigned, forged "
            "or replayed), version (cannot be served), store (unreachable), error",
            ["reason"],
        ),
        worker_exits=Counter(
            "chaos_worker_exits", "gunicorn workers that exited (killed, crashed or stopped)"
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
        calibration_stale=Gauge(
            "chaos_calibration_stale",
            "1 when today's calibration is stale (outcomes too old or too few, or no stored row), else 0",
            ["model_version"],
            multiprocess_mode="mostrecent",
        ),
        calibration_moved=Gauge(
            "chaos_calibration_moved",
            "1 when today's calibration moved beyond its own history (shift, offset or slope), 0 when "
            "not, NaN when too little history to judge",
            ["model_version"],
            multiprocess_mode="mostrecent",
        ),
        outcomes_age=Gauge(
            "chaos_outcomes_age_days",
            "Days between today and the newest resolved outcome today's calibration could use (NaN: none)",
            multiprocess_mode="mostrecent",
        ),
        socio_eco_age=Gauge(
            "chaos_socio_eco_age_days",
            "Days between today and the newest complete socio_eco month (read when /metrics or /ready is)",
            multiprocess_mode="mostrecent",
        ),
        served_performance=Gauge(
            "chaos_served_performance",
            "The newest day `chaos monitor` measured, per model version and figure (NaN: undefined that "
            "day); read from the database when /metrics is",
            ["model_version", "figure"],
            multiprocess_mode="mostrecent",
        ),
        served_written=Counter("chaos_served_records_written", "Served scores written to the served record"),
        served_dropped=Counter(
            "chaos_served_records_dropped",
            "Served scores the served record could not keep: buffer_full, database_unavailable, "
            "write_failed (the score itself was answered)",
            ["reason"],
        ),
        key_reloads=Counter(
            "chaos_api_key_reloads",
            "Changed configuration files a worker read api.keys from: applied, or refused (the "
            "previous keys stayed)",
            ["result"],
        ),
        outcomes_written=Counter(
            "chaos_outcomes_reported",
            "Reported outcomes written (new, resolved or replaced), by the API key's id and status: a "
            "key's volume and subscription rate (key ids are configured, so the series are few)",
            ["key_id", "outcome"],
        ),
        outcomes_refused=Counter(
            "chaos_outcome_reports_refused",
            "Reported outcomes refused (their whole request is), by the API key's id and why: "
            "report-volume-exceeded (the rows a request past the key's daily limit would have written), "
            "unknown-contacts (the rows naming a contact chaos does not know)",
            ["key_id", "reason"],
        ),
    )
    for result in (APPLIED, REFUSED):
        built.key_reloads.labels(result)  # at 0 from the start, so an alert sees the first refusal
    return built


def exposition() -> bytes:
    """Every sample in the text format: all workers' under gunicorn, else this process's."""
    registry = REGISTRY
    if os.environ.get(VARIABLE):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        registry.register(GunicornProcesses())
    return generate_latest(registry)


@functools.lru_cache(maxsize=1024)
def _child(metric: Counter | Histogram, *labels: str):
    """`metric.labels(*labels)`, looked up once for the instruments every request touches:
    prometheus-client checks the values and takes a lock on every `labels` call, and the series a
    request updates are few and always the same."""
    return metric.labels(*labels)


def request_answered(endpoint: str, method: str, status: int, seconds: float | None) -> None:
    """`seconds` is None when the request never reached the clock (refused before any hook ran)."""
    measured = instruments()
    _child(measured.requests, endpoint, method, str(status)).inc()
    if seconds is not None:
        _child(measured.latency, endpoint).observe(seconds)


def refused(reason: str, status: int) -> None:
    instruments().refusals.labels(reason, str(status)).inc()


def worker_exited(pid: int) -> None:
    """In gunicorn's master: count the exit and drop the dead worker's live gauges."""
    instruments().worker_exits.inc()
    multiprocess_directory.worker_exited(pid)


def model_loaded(version: str, role: str) -> None:
    instruments().model_info.labels(version, role).set(1)


def model_swapped(old: str, new: str) -> None:
    """The default moved to a new champion: the last write wins across workers (mostrecent)."""
    instruments().model_info.labels(old, "default").set(0)
    instruments().model_info.labels(new, "default").set(1)


def model_refresh_failed(reason: str) -> None:
    instruments().refresh_failures.labels(reason).inc()


def scores_returned(version: str, scores: Iterable[float]) -> None:
    histogram = _child(instruments().appetence, version)
    for score in scores:
        histogram.observe(score)


def campaign_scored(rows: int) -> None:
    instruments().batch_rows.observe(rows)


def rows_unscored(reason: str, rows: int) -> None:
    instruments().rows_unscored.labels(reason).inc(rows)


def calibration_refreshed(version: str, day: date, calibration: Calibration) -> None:
    """The gauges follow today's calibration, the one live traffic uses; past days leave them."""
    if day == date.today():
        measured = instruments()
        measured.calibration_offset.labels(version).set(calibration.shift)
        rate = calibration.observed_rate
        measured.calibration_rate.labels(version).set(float("nan") if rate is None else rate)
        measured.calibration_stale.labels(version).set(1 if calibration.stale else 0)
        moved = calibration.moved
        measured.calibration_moved.labels(version).set(float("nan") if moved is None else int(moved))
        age = calibration.outcomes_age_days
        measured.outcomes_age.set(float("nan") if age is None else age)


def served_written(rows: int) -> None:
    instruments().served_written.inc(rows)


def served_dropped(reason: str, rows: int) -> None:
    instruments().served_dropped.labels(reason).inc(rows)


def keys_reloaded(result: str) -> None:
    instruments().key_reloads.labels(result).inc()


def outcomes_written(key_id: str, statuses: Mapping[str, int]) -> None:
    for status, rows in statuses.items():
        instruments().outcomes_written.labels(key_id, status).inc(rows)


def outcomes_refused(key_id: str, reasons: Mapping[str, int]) -> None:
    for reason, rows in reasons.items():
        instruments().outcomes_refused.labels(key_id, reason).inc(rows)


def reporting_keys(key_ids: Iterable[str]) -> None:
    """Each key that may report outcomes gets its reports' series at 0 before its first report: an
    `increase` sees its first refusal, and its volume and rate read 0, not nothing."""
    measured = instruments()
    for key_id in key_ids:
        for outcome in Outcome:
            measured.outcomes_written.labels(key_id, outcome.value)
        for reason in RefusalReason:
            measured.outcomes_refused.labels(key_id, reason.value)


def cache_lookup(hit: bool) -> None:
    _child(instruments().cache, "hit" if hit else "miss").inc()


def socio_eco_age(days: int) -> None:
    instruments().socio_eco_age.set(days)


def served_performance(measure: DayPerformance) -> None:
    measured = instruments()
    for figure in PERFORMANCE_FIGURES:
        value = getattr(measure, figure)
        measured.served_performance.labels(measure.model_version, figure).set(
            float("nan") if value is None else value
        )


def socio_eco_read(operation: str, seconds: float, failed: bool) -> None:
    measured = instruments()
    if failed:
        measured.db_errors.labels(operation).inc()
    _child(measured.db_latency, operation).observe(seconds)
