"""One pod's capacity: the requests per second the master pod sustains through its edge with a p99
within LATENCY_GOAL_MS, and what the HorizontalPodAutoscaler's CPU target means in requests per second.

The pod as the master overlay runs it: gunicorn with the app container's settings (its workers,
its access log off) behind the edge (nginx, TLS), on the default cache TTL, every request carrying
a contact id. Its CPU is held to the pod's CPU request, rounded down to whole cores: gunicorn and
nginx are pinned to that many cores (what `taskset` does), the load generator and PostgreSQL to
the others. The load then ramps, doubling the connections from 1 for a few seconds each, until the
p99 passes the goal: the capacity is the highest throughput of a step within it. The autoscaler
adds pods when the pods' CPU use averages above its target share of their requests (all
containers'), so at the target a pod serves target × requested cores ÷ CPU per request (gunicorn's
and nginx's, measured at each step; the Cloud SQL proxy's is left out: at the default TTL it
carries one calibration read a minute and the served record's writes).
"""

import os
import statistics
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from bench import cpu, edge, load
from bench.servers import gunicorn_server
from harness.delivery import app_container, container_env, pod_spec, rendered

ENVIRONMENT = "master"
LATENCY_GOAL_MS = 50
STEP_SECONDS = 4
CONNECTIONS = (1, 2, 4, 8, 16, 32, 64, 128)


@dataclass(frozen=True)
class Step:
    connections: int
    requests_per_second: float
    p99_ms: float
    cpu_us_per_request: float
    failures: int


@dataclass(frozen=True)
class Capacity:
    requested_cores: float
    """The pod's CPU requests, all its containers."""
    pinned_cores: int
    workers: int
    hpa_target: float
    """The autoscaler's average CPU utilization target, as a share."""
    steps: list[Step]

    @property
    def within_goal(self) -> list[Step]:
        return [step for step in self.steps if step.p99_ms <= LATENCY_GOAL_MS and not step.failures]

    @property
    def capacity(self) -> Step | None:
        return max(self.within_goal, key=lambda step: step.requests_per_second, default=None)

    @property
    def at_hpa_target(self) -> float:
        """Requests per second at which the pod's CPU use reaches the autoscaler's target."""
        used = statistics.median(step.cpu_us_per_request for step in self.within_goal or self.steps)
        return self.hpa_target * self.requested_cores / (used / 1e6)


def measure(
    workdir: Path,
    config: Path,
    key: str,
    body: Path,
    shape: load.Shape,
    postgres: int,
    say: Callable[[str], None],
) -> Capacity:
    requested = sum(_cores(container) for container in _pod_containers())
    pinned = max(int(requested), 1)
    cores = sorted(os.sched_getaffinity(0))
    if len(cores) <= pinned:
        raise RuntimeError(f"the pod's {pinned} core(s) and the load generator need {pinned + 1} cores here")
    pod_cores, other_cores = set(cores[:pinned]), set(cores[pinned:])
    environment = container_env(app_container(ENVIRONMENT))
    workers = int(environment["WEB_CONCURRENCY"])
    server = gunicorn_server(
        "capacity", workdir, config=config, extra=edge.pod_environment() | {"WEB_CONCURRENCY": str(workers)}
    )
    steps = []
    try:
        server.start("/ready")
        with edge.edges({"capacity": server}, workdir / "capacity-edge") as proxies:
            proxy = proxies["capacity"]
            roots = [server.pid, proxy.process.pid]
            for root in roots:
                for process in cpu.tree(root):
                    process.cpu_affinity(sorted(pod_cores))
            for process in cpu.tree(postgres):
                process.cpu_affinity(sorted(other_cores))
            url = f"{proxy.url}/appetence"
            say(f"capacity: the pod on {pinned} core(s), {workers} workers; ramping the load")
            load.drive(
                url, body, key, 2, shape=replace(shape, cpus=other_cores), certificate=proxy.certificate
            )
            for connections in CONNECTIONS:
                step_shape = replace(shape, connections=connections, cpus=other_cores)
                before = sum(cpu.seconds(root) for root in roots)
                found = load.drive(
                    url, body, key, STEP_SECONDS, shape=step_shape, certificate=proxy.certificate
                )
                used = (sum(cpu.seconds(root) for root in roots) - before) * 1e6 / max(found.requests, 1)
                steps.append(Step(connections, found.requests_per_second, found.p99_ms, used, found.failures))
                say(f"capacity: {connections} connections, {found.requests_per_second:,.0f} req/s")
                if found.p99_ms > LATENCY_GOAL_MS:
                    break
    finally:
        server.stop()
    return Capacity(requested, pinned, workers, _hpa_target(), steps)


def section(found: Capacity) -> list[str]:
    best = found.capacity
    rows = [
        f"| {step.connections} | {step.requests_per_second:,.0f} | {step.p99_ms:.1f} | "
        f"{step.cpu_us_per_request:,.0f} | {step.failures} |"
        for step in found.steps
    ]
    summary = (
        f"{best.requests_per_second:,.0f} req/s ({best.connections} connections, p99 {best.p99_ms:.1f} ms)"
        if best
        else f"not reached: no step kept its p99 within {LATENCY_GOAL_MS} ms"
    )
    return [
        "## Capacity of one pod",
        "",
        f"The master pod (its CPU requests: {found.requested_cores:g} cores, all containers) with gunicorn "
        f"({found.workers} workers) and nginx pinned to {found.pinned_cores} core(s), the load generator and "
        "PostgreSQL on the others; `POST /appetence` through the edge (TLS), default cache TTL, each "
        "request with a contact id; the connections doubled every "
        f"{STEP_SECONDS} s until the p99 passed {LATENCY_GOAL_MS} ms (bench/capacity.py).",
        "",
        "| connections | req/s | p99 ms | CPU µs / request (gunicorn + nginx) | failures |",
        "| ---: | ---: | ---: | ---: | ---: |",
        *rows,
        "",
        "| measure | figure |",
        "| --- | ---: |",
        f"| capacity at p99 ≤ {LATENCY_GOAL_MS} ms | {summary} |",
        f"| the autoscaler's target ({found.hpa_target:.0%} of the requested CPU) | "
        f"{found.at_hpa_target:,.0f} req/s per pod |",
    ]


def _pod_containers() -> list[dict]:
    spec = pod_spec(ENVIRONMENT)
    return [*spec["containers"], *spec.get("initContainers", [])]


def _cores(container: dict) -> float:
    """A container's CPU request in cores ("1", "500m")."""
    value = str(container.get("resources", {}).get("requests", {}).get("cpu", "0"))
    return int(value[:-1]) / 1000 if value.endswith("m") else float(value)


def _hpa_target() -> float:
    (metric,) = rendered(ENVIRONMENT)["HorizontalPodAutoscaler"]["spec"]["metrics"]
    return metric["resource"]["target"]["averageUtilization"] / 100
