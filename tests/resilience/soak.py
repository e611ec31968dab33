"""`make soak`: the demo app under steady load for a long while, watching what slowly goes wrong.

First the capacity is measured (8 clients as fast as they can, SOAK_CALIBRATION_SECONDS), then
8 clients pace themselves to SOAK_LOAD_SHARE of it (default 0.5) for SOAK_SECONDS (default 600).
socio_eco is read on every request (cache TTL 0), the worst case for the connection pools. Every
SOAK_SAMPLE_SECONDS it records each worker's RSS (psutil) and the app's PostgreSQL connections
(pg_stat_activity). It prints the 5xx count, RSS per worker at start and end, and the connection
count over time, and fails on any 5xx, RSS growth of 10% or more, or a connection count that moves.

    SOAK_SECONDS=180 python -m tests.resilience.soak
"""

import os
import statistics
import sys
import time
from dataclasses import dataclass, field

import psutil
import sqlalchemy as sa

from chaos.infrastructure.api_keys import DEMO_KEY
from chaos.infrastructure.db.embedded import SUPERUSER
from chaos.infrastructure.db.engine import create_engine
from tests.resilience.demo_app import demo_app
from tests.resilience.load import Load, Outcome, statuses

CLIENTS = 8
MAX_RSS_GROWTH = 0.10
HEADERS = {"Authorization": f"Bearer {DEMO_KEY}"}


@dataclass
class Sample:
    at: float
    rss_mb: dict[int, float]  # worker pid -> RSS
    connections: int


@dataclass
class Soak:
    seconds: float
    calibration_seconds: float
    share: float
    sample_seconds: float
    capacity: float = 0.0
    samples: list[Sample] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)

    def run(self) -> None:
        with demo_app(workers=2, cache_ttl_seconds=0) as app:
            counter = create_engine(app.settings.database.model_copy(update={"user": SUPERUSER}))
            try:
                self.capacity = self._calibrate(app.url)
                interval = CLIENTS / (self.capacity * self.share)
                print(f"soak: capacity {self.capacity:.0f} req/s; {self.share:.0%} for {self.seconds:.0f}s")
                with Load(app.url, HEADERS, clients=CLIENTS, interval=interval) as load:
                    started = time.monotonic()
                    while (elapsed := time.monotonic() - started) < self.seconds:
                        self.samples.append(self._sample(app.server.worker_pids(), counter, elapsed))
                        print(self._progress(load.between(started)), flush=True)
                        time.sleep(min(self.sample_seconds, max(0.0, self.seconds - elapsed)))
                    self.samples.append(self._sample(app.server.worker_pids(), counter, self.seconds))
                self.outcomes = load.between(started)
            finally:
                counter.dispose()

    def _calibrate(self, url: str) -> float:
        with Load(url, HEADERS, clients=CLIENTS) as load:
            time.sleep(self.calibration_seconds)
        ok = [outcome for outcome in load.outcomes if outcome.status == 200]
        return len(ok) / self.calibration_seconds

    def _sample(self, workers: set[int], counter: sa.Engine, elapsed: float) -> Sample:
        rss = {}
        for pid in sorted(workers):
            try:
                rss[pid] = psutil.Process(pid).memory_info().rss / 2**20
            except psutil.NoSuchProcess:
                continue
        with counter.connect() as connection:
            count = connection.scalar(
                sa.text("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'chaos'")
            )
        return Sample(elapsed, rss, count - 1)  # minus the counter's own connection

    def _progress(self, outcomes: list[Outcome]) -> str:
        sample = self.samples[-1]
        rss = ", ".join(f"{pid}: {mb:.0f} MB" for pid, mb in sample.rss_mb.items())
        return (
            f"  t={sample.at:5.0f}s requests={len(outcomes)} 5xx={server_errors(outcomes)} "
            f"db_connections={sample.connections} rss=[{rss}]"
        )

    def report(self) -> tuple[str, bool]:
        first, last = self.samples[0], self.samples[-1]
        seconds = [outcome.seconds for outcome in self.outcomes]
        errors = server_errors(self.outcomes)
        growth = {pid: last.rss_mb[pid] / first.rss_mb[pid] - 1 for pid in first.rss_mb if pid in last.rss_mb}
        connections = [sample.connections for sample in self.samples]
        replaced = set(first.rss_mb) != set(last.rss_mb)
        lines = [
            f"soak: {self.seconds:.0f}s at {self.share:.0%} of {self.capacity:.0f} req/s measured capacity",
            f"soak: {len(self.outcomes)} requests ({len(self.outcomes) / self.seconds:.0f}/s), "
            f"statuses {dict(statuses(self.outcomes))}, 5xx or no answer: {errors}",
            f"soak: latency p50 {percentile(seconds, 50) * 1000:.0f} ms, "
            f"p99 {percentile(seconds, 99) * 1000:.0f} ms, max {max(seconds) * 1000:.0f} ms",
            *(
                f"soak: worker {pid} RSS {first.rss_mb[pid]:.1f} MB -> {last.rss_mb[pid]:.1f} MB "
                f"({growth[pid]:+.1%})"
                for pid in growth
            ),
            f"soak: PostgreSQL connections over time: {connections} (min {min(connections)}, "
            f"max {max(connections)})",
        ]
        if replaced:
            lines.append(
                f"soak: workers changed during the run: {sorted(first.rss_mb)} -> {sorted(last.rss_mb)}"
            )
        steady_connections = max(connections[1:]) == min(
            connections[1:]
        )  # the first sample may be warming up
        passed = (
            errors == 0
            and not replaced
            and all(value < MAX_RSS_GROWTH for value in growth.values())
            and steady_connections
        )
        return "\n".join(lines), passed


def server_errors(outcomes: list[Outcome]) -> int:
    return sum(1 for outcome in outcomes if outcome.status is None or outcome.status >= 500)


def percentile(values: list[float], rank: int) -> float:
    return statistics.quantiles(values, n=100)[rank - 1] if len(values) > 1 else values[0]


def main() -> int:
    soak = Soak(
        seconds=float(os.environ.get("SOAK_SECONDS", 600)),
        calibration_seconds=float(os.environ.get("SOAK_CALIBRATION_SECONDS", 15)),
        share=float(os.environ.get("SOAK_LOAD_SHARE", 0.5)),
        sample_seconds=float(os.environ.get("SOAK_SAMPLE_SECONDS", 30)),
    )
    soak.run()
    text, passed = soak.report()
    print(text)
    print("soak: PASS" if passed else "soak: FAIL (target: 0 5xx, RSS growth < 10%, flat connection count)")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
