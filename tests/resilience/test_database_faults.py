"""Database faults: real gunicorn, real PostgreSQL, and a misbehaving proxy between them.

A marketing tool must always get a score or a retryable 503/504 within the configured budget, the
workers must ride the outage out (same pids), and service must come back by itself.
"""

import time

import requests

from chaos.entrypoints.web.appetence_schema import EXAMPLE_REQUEST
from tests.resilience.load import Load, statuses
from tests.support.resilience import AUTHORIZATION, FAST_FAILING

RECOVERY_SECONDS = 5
BUDGET_SECONDS = (
    FAST_FAILING["pool_timeout_seconds"]
    + FAST_FAILING["connect_timeout_seconds"]
    + 2 * FAST_FAILING["statement_timeout_ms"] / 1000
    + 1
)
"""The longest a request may take while the database misbehaves: a wait for a pooled connection, a
new connection, the liveness check and the query, each within its configured timeout, plus a second
for the worker itself."""


def appetence(url: str) -> requests.Response:
    return requests.post(f"{url}/appetence", json=EXAMPLE_REQUEST, headers=AUTHORIZATION, timeout=30)


def wait_until(check, seconds: float) -> float:
    """Poll `check` until true; return how long it took (fails after `seconds`)."""
    start = time.monotonic()
    while not check():
        assert time.monotonic() - start < seconds, f"not within {seconds}s"
        time.sleep(0.1)
    return time.monotonic() - start


def test_database_down_at_start_then_ready_within_seconds_of_its_return(serve, proxy):
    proxy.refuse()
    server = serve()

    assert requests.get(f"{server.url}/health", timeout=5).status_code == 200
    ready = requests.get(f"{server.url}/ready", timeout=5)
    assert ready.status_code == 503
    assert ready.headers["Content-Type"] == "application/problem+json"
    refused = appetence(server.url)
    assert refused.status_code == 503, refused.text
    assert refused.headers["Content-Type"] == "application/problem+json"
    assert int(refused.headers["Retry-After"]) > 0

    proxy.accept()
    wait_until(lambda: requests.get(f"{server.url}/ready", timeout=5).status_code == 200, RECOVERY_SECONDS)
    assert appetence(server.url).status_code == 200


def test_database_dies_under_load_only_503_then_full_recovery(serve, proxy):
    server = serve()
    workers = server.wait_for_workers(2)
    with Load(server.url, AUTHORIZATION, clients=8) as load:
        load.wait_for(50, since=0)
        died = time.monotonic()
        proxy.down()
        time.sleep(3)
        back = time.monotonic()
        proxy.accept()
        time.sleep(RECOVERY_SECONDS + 1)
    during = load.between(died, back)
    after = load.between(back)

    assert statuses(during)[503] > 0, f"the outage was not felt: {statuses(during)}"
    assert set(statuses(load.between(died))) <= {200, 503}, statuses(load.between(died))
    assert all(outcome.retry_after for outcome in load.between(died) if outcome.status == 503)
    slowest = max(outcome.seconds for outcome in load.outcomes)
    assert slowest < BUDGET_SECONDS, f"a request took {slowest:.1f}s"
    assert server.worker_pids() == workers, "a worker crashed or was restarted"
    healed = [outcome for outcome in after if outcome.started > back + RECOVERY_SECONDS]
    assert healed and statuses(healed) == {200: len(healed)}, statuses(healed)


def test_latency_ends_within_the_budget_with_503_or_504(serve, proxy):
    server = serve()
    assert appetence(server.url).status_code == 200  # pooled connections exist, then slow down
    proxy.add_latency(2.0)
    with Load(server.url, AUTHORIZATION, clients=2) as load:
        load.wait_for(6, since=0, timeout=60)
    outcomes = load.outcomes
    assert set(statuses(outcomes)) <= {503, 504}, " ".join(f"{o.status}:{o.seconds:.1f}s" for o in outcomes)
    slowest = max(outcome.seconds for outcome in outcomes)
    assert slowest < BUDGET_SECONDS, f"a request took {slowest:.1f}s"
