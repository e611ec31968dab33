"""The load: wrk when installed (2 threads, 8 connections, keep-alive POSTs of one body), else a
Python generator of the same shape (2 processes of 4 keep-alive connections, http.client, over TLS
for an https URL, the edge's certificate verified). Both report requests/s and latency p50/p99, and
count every answer that is not 2xx, so a figure is only kept when every request was served as
intended."""

import json
import os
import shutil
import ssl
import statistics
import subprocess
import time
import urllib.parse
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from http.client import HTTPConnection, HTTPSConnection
from pathlib import Path
from typing import TypeVar

THREADS = 2
CONNECTIONS = 8
LUA = Path(__file__).with_name("post.lua")
GENERATORS = ("wrk", "python")
T = TypeVar("T")


@dataclass(frozen=True)
class Load:
    requests: int
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    failures: int
    """Non-2xx answers and socket errors: a load with failures measured something else."""
    cpu_us_per_request: float | None = None
    """CPU time of the serving processes per request (bench/cpu.py), when they were measured."""
    edge_cpu_us_per_request: float | None = None
    """The part of it spent by nginx, on the edge path."""
    rows_written: int | None = None
    """Served records written to the database for this load, when it was counted."""
    seconds: float | None = None
    """How long the load lasted."""


@dataclass(frozen=True)
class Shape:
    """How a load is generated: which generator, how many connections, where it runs."""

    generator: str = "wrk" if shutil.which("wrk") else "python"
    connections: int = CONNECTIONS
    cpus: set[int] | None = None
    """Cores the generator is kept on (None: any)."""

    def describe(self) -> str:
        if self.generator == "wrk":
            return f"wrk, {THREADS} threads, {self.connections} connections"
        return f"Python (http.client), {THREADS} processes, {self.connections} keep-alive connections"


def drive(
    url: str,
    body: Path,
    key: str | None,
    seconds: float,
    content_type: str = "application/json",
    shape: Shape = Shape(),
    certificate: Path | None = None,
) -> Load:
    """Load `url` for `seconds`; an https URL's certificate is verified against `certificate`."""
    if shape.generator == "wrk":
        found = _wrk(url, body, key, seconds, content_type, shape)
    else:
        found = _python(url, body.read_bytes(), key, seconds, content_type, shape, certificate)
    return found


def merged(slices: Sequence[Load]) -> Load:
    """Slices of one load taken as one: requests and failures summed, the rate over their time
    together, the median slice's p50 and the highest slice's p99 (one slice's tail is not averaged
    away)."""
    seconds = sum(piece.seconds or 0 for piece in slices)
    requests = sum(piece.requests for piece in slices)
    return Load(
        requests=requests,
        requests_per_second=requests / seconds,
        p50_ms=statistics.median(piece.p50_ms for piece in slices),
        p99_ms=max(piece.p99_ms for piece in slices),
        failures=sum(piece.failures for piece in slices),
        seconds=seconds,
    )


def in_turn(names: list[T], round_number: int) -> list[T]:
    """`names` in the order of round `round_number`: rotated by one each round, so that no path is
    always loaded first, or always right after the same one."""
    start = round_number % len(names)
    return names[start:] + names[:start]


def _pinned(cpus: set[int] | None) -> dict:
    return {"preexec_fn": lambda: os.sched_setaffinity(0, cpus)} if cpus else {}


def _wrk(url: str, body: Path, key: str | None, seconds: float, content_type: str, shape: Shape) -> Load:
    # wrk counts an answer slower than 2 s as a socket error; a batch on a busy machine can take that.
    threads = min(THREADS, shape.connections)
    command = ["wrk", f"-t{threads}", f"-c{shape.connections}", f"-d{seconds:g}s", "--timeout", "10s"]
    env = os.environ | {"BENCH_BODY": str(body), "BENCH_KEY": key or "", "BENCH_CONTENT_TYPE": content_type}
    run = subprocess.run(
        [*command, "-s", str(LUA), url],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        **_pinned(shape.cpus),
    )
    line = next(line for line in run.stdout.splitlines() if line.startswith("BENCH "))
    summary = json.loads(line.removeprefix("BENCH "))
    return Load(
        requests=summary["requests"],
        requests_per_second=summary["requests"] / summary["seconds"],
        p50_ms=summary["p50_us"] / 1000,
        p99_ms=summary["p99_us"] / 1000,
        failures=summary["non_2xx"] + summary["socket_errors"],
        seconds=summary["seconds"],
    )


def _python(
    url: str,
    body: bytes,
    key: str | None,
    seconds: float,
    content_type: str,
    shape: Shape,
    certificate: Path | None,
) -> Load:
    headers = {"Content-Type": content_type} | ({"Authorization": f"Bearer {key}"} if key else {})
    processes = min(THREADS, shape.connections)
    counts = [shape.connections // processes + (n < shape.connections % processes) for n in range(processes)]
    pinned = {"initializer": os.sched_setaffinity, "initargs": (0, shape.cpus)} if shape.cpus else {}
    jobs = [(url, body, headers, seconds, count, certificate) for count in counts]
    with ProcessPoolExecutor(processes, **pinned) as pool:
        parts = list(pool.map(_connections, jobs))
    latencies = sorted(latency for part, _ in parts for latency in part)
    failures = sum(failed for _, failed in parts)
    centiles = statistics.quantiles(latencies, n=100)
    return Load(
        len(latencies),
        len(latencies) / seconds,
        centiles[49] * 1000,
        centiles[98] * 1000,
        failures,
        seconds=seconds,
    )


def _connections(job: tuple) -> tuple[list[float], int]:
    url, body, headers, seconds, count, certificate = job
    with ThreadPoolExecutor(count) as pool:
        parts = list(pool.map(lambda _: _connection(url, body, headers, seconds, certificate), range(count)))
    return [latency for part, _ in parts for latency in part], sum(failed for _, failed in parts)


def _connection(
    url: str, body: bytes, headers: dict, seconds: float, certificate: Path | None
) -> tuple[list[float], int]:
    """One keep-alive connection posting `body` until `seconds` have passed."""
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme == "https":
        context = ssl.create_default_context(cafile=certificate)
        connection: HTTPConnection = HTTPSConnection(
            parsed.hostname, parsed.port, timeout=30, context=context
        )
    else:
        connection = HTTPConnection(parsed.hostname, parsed.port, timeout=30)
    latencies, failed = [], 0
    deadline = time.perf_counter() + seconds
    while (started := time.perf_counter()) < deadline:
        connection.request("POST", parsed.path, body=body, headers=headers)
        answer = connection.getresponse()
        answer.read()
        latencies.append(time.perf_counter() - started)
        failed += not 200 <= answer.status < 300
    connection.close()
    return latencies, failed
