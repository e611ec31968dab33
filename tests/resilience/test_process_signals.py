"""Process faults under real gunicorn: a worker killed under load, and the SIGTERM of a rolling update."""

import signal
import time

import pytest
import requests

from tests.resilience.load import Load, statuses
from tests.support.resilience import AUTHORIZATION, WORKERS

DATABASE_LATENCY = 0.1
"""Slows each database round trip so that requests are surely in flight when the signal comes."""


def test_a_killed_worker_is_replaced_and_under_1_percent_of_requests_fail(serve):
    server = serve()
    workers = server.wait_for_workers(WORKERS)
    with Load(server.url, AUTHORIZATION, clients=8) as load:
        load.wait_for(100, since=0)
        victim = min(workers)
        killed = time.monotonic()
        server.signal_worker(victim, signal.SIGKILL)
        replaced = server.wait_for_workers(WORKERS, excluding={victim})
        time.sleep(3)
    event = load.between(killed - 1)

    assert victim not in replaced and len(replaced - workers) == 1
    assert len(event) >= 200, f"too few requests to measure a rate: {statuses(event)}"
    failed = [outcome for outcome in event if outcome.status != 200]
    assert len(failed) / len(event) < 0.01, statuses(event)


def test_sigterm_lets_in_flight_requests_complete(serve, proxy):
    server = serve()
    proxy.add_latency(DATABASE_LATENCY)
    with Load(server.url, AUTHORIZATION, clients=WORKERS) as load:
        load.wait_for(WORKERS, since=0)
        while proxy.held_chunks < WORKERS:  # every worker is waiting on the database mid-request
            time.sleep(0.01)
        signalled = time.monotonic()
        server.signal(signal.SIGTERM)
        assert server.wait(30) == 0, server.output()
    accepted = load.between(0, signalled)
    after = load.between(signalled)

    assert statuses(accepted) == {200: len(accepted)}, statuses(accepted)
    in_flight = [outcome for outcome in accepted if outcome.ended > signalled]
    assert len(in_flight) == WORKERS, "no request was in flight at the signal"
    assert set(statuses(after)) <= {200, "ConnectionError"}, statuses(after)  # refused: never accepted
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{server.url}/health", timeout=2)
