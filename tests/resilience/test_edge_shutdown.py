"""Stopping the pod's shape as the kubelet stops the pod: the edge gets SIGQUIT when its preStop ends,
gunicorn SIGTERM when its own (longer) preStop ends. Requests already under way are all answered,
even those still sending their body; new connections are refused at once, not left hanging."""

import json
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from chaos.entrypoints.web.appetence_schema import EXAMPLE_REQUEST
from chaos.infrastructure.api_keys import key_hash
from harness.delivery import app_container, edge_container
from harness.pod.edge_proxy import nginx
from harness.pod.shape import local_store, running_pod
from tests.support.resilience import API_KEY, AUTHORIZATION

IN_FLIGHT = 4
BATCH_ROWS = 2_000
PIECES = 10
PAUSE_SECONDS = 0.1


@pytest.mark.slow
def test_requests_under_way_are_answered_when_the_pod_stops(resilience_database, tmp_path):
    if nginx() is None:
        pytest.skip("nginx is not installed (.ci/run installs it; Debian: apt-get install nginx)")
    containers = (app_container("master"), edge_container("master"))
    pre_stop = {c["name"]: c["lifecycle"]["preStop"]["sleep"]["seconds"] for c in containers}
    body = json.dumps({"customers": [EXAMPLE_REQUEST] * BATCH_ROWS}).encode()
    size = len(body) // PIECES + 1
    started = threading.Barrier(IN_FLIGHT + 1)
    database = resilience_database
    with running_pod(database.settings, local_store(database.models), [key_hash(API_KEY)], tmp_path) as pod:

        def pieces():
            """The body over about a second: the request is still arriving when the pod stops."""
            yield body[:size]
            started.wait(10)
            for offset in range(size, len(body), size):
                time.sleep(PAUSE_SECONDS)
                yield body[offset : offset + size]

        def score() -> int:
            headers = {**AUTHORIZATION, "Content-Type": "application/json"}
            url = f"{pod.url}/appetence/batch"
            return requests.post(
                url, data=pieces(), headers=headers, timeout=30, verify=pod.certificate
            ).status_code

        with ThreadPoolExecutor(IN_FLIGHT) as pool:
            calls = [pool.submit(score) for _ in range(IN_FLIGHT)]
            started.wait(10)
            pod.edge.process.send_signal(signal.SIGQUIT)
            time.sleep(0.5)
            with pytest.raises(requests.ConnectionError):
                requests.get(f"{pod.url}/health", timeout=5, verify=pod.certificate)
            time.sleep(pre_stop["chaos"] - pre_stop["edge"] - 0.5)
            pod.app.signal(signal.SIGTERM)
            assert [call.result() for call in calls] == [200] * IN_FLIGHT
        assert pod.edge.process.wait(30) == 0
        assert pod.app.wait(30) == 0
