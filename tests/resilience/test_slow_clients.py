"""Slow clients against the production pod's shape: the edge reads whole requests before a gunicorn
worker sees them, so trickling connections cost the attacker a socket each and the legitimate client
nothing; the edge's own timeouts cut them."""

import json
import time

import pytest
import requests

from harness.logs import logged_lines
from harness.pod.edge_proxy import directive, seconds
from tests.resilience.slow_clients import Trickle, attack
from tests.support.resilience import AUTHORIZATION

ATTACK_SECONDS = 60
HEADER_TRICKLERS = 50
BODY_TRICKLERS = 20
CUT_MARGIN_SECONDS = 2.0


@pytest.mark.slow
def test_trickling_clients_neither_slow_the_legitimate_one_nor_stay(edge_pod):
    header_timeout = seconds(directive(edge_pod.edge.config, "client_header_timeout"))
    body_timeout = seconds(directive(edge_pod.edge.config, "client_body_timeout"))
    trickles = [
        Trickle("headers", HEADER_TRICKLERS, interval=1.0),
        # One byte at a time, each a little later than the edge waits between two reads of a body.
        Trickle("body", BODY_TRICKLERS, interval=body_timeout + 1),
    ]
    tallies, calls = attack(
        edge_pod.url, trickles, ATTACK_SECONDS, AUTHORIZATION, pause=0.05, verify=str(edge_pod.certificate)
    )

    print(
        f"\nthrough the edge, {HEADER_TRICKLERS} header and {BODY_TRICKLERS} body tricklers, "
        f"{ATTACK_SECONDS} s: "
        f"{calls.summary('/appetence')}; {calls.summary('/health')}; p99 {calls.p99():.3f} s; "
        + "; ".join(f"{part}: {t.opened} connections, {t.cut} cut" for part, t in tallies.items())
    )
    assert calls.failed == [], calls.failed[:10]
    assert len(calls.answered) >= 100, calls.summary("/appetence")
    assert calls.p99() <= 1.0, f"p99 {calls.p99():.2f} s; {calls.summary('/appetence')}"
    for part, timeout in (("headers", header_timeout), ("body", body_timeout)):
        tally = tallies[part]
        assert tally.cut >= tally.opened - trickles[0 if part == "headers" else 1].connections, tally
        assert max(tally.lifetimes) <= timeout + CUT_MARGIN_SECONDS, (part, sorted(tally.lifetimes)[-5:])


def test_the_edge_writes_the_one_access_line_of_a_request(edge_pod):
    request_id = f"edge-log-{time.time_ns()}"
    answer = requests.get(
        f"{edge_pod.url}/health", headers={"X-Request-ID": request_id}, timeout=5, verify=edge_pod.certificate
    )
    assert answer.headers["X-Request-ID"] == request_id  # the app got the id the edge passed on
    (line,) = [json.loads(line) for line in logged_lines(edge_pod.edge, request_id)]
    assert (line["request_id"], line["path"], line["status"]) == (request_id, "/health", 200)
    assert "gunicorn.access" not in edge_pod.app.output()  # the pod turns gunicorn's access log off


def test_plain_http_to_the_tls_port_is_refused(edge_pod):
    plain = edge_pod.url.replace("https://", "http://")
    answer = requests.post(f"{plain}/appetence", json={}, headers=AUTHORIZATION, timeout=5)
    assert answer.status_code == 400
    assert "X-Request-ID" not in answer.headers  # the edge answered: the app never saw the request


def test_answers_over_tls_carry_hsts(edge_pod):
    answer = requests.get(f"{edge_pod.url}/health", timeout=5, verify=edge_pod.certificate)
    assert answer.status_code == 200
    assert answer.headers["Strict-Transport-Security"].startswith("max-age=")
    assert int(answer.headers["Strict-Transport-Security"].split("=")[1]) >= 180 * 86400


def test_liveness_is_answered_by_the_edge_itself(edge_pod):
    answer = requests.get(f"{edge_pod.internal_url}/livez", timeout=5)
    assert answer.status_code == 200
    assert "X-Request-ID" not in answer.headers  # no gunicorn worker was asked


def test_a_body_larger_than_the_edge_admits_is_refused_there(edge_pod):
    limit = directive(edge_pod.edge.config, "client_max_body_size")
    assert limit.endswith("m")
    too_large = b"[" + b" " * (int(limit[:-1]) * 1024 * 1024) + b"]"
    answer = requests.post(
        f"{edge_pod.url}/appetence/batch",
        data=too_large,
        headers={**AUTHORIZATION, "Content-Type": "application/json"},
        timeout=30,
        verify=edge_pod.certificate,
    )
    assert answer.status_code == 413
    assert answer.headers["Content-Type"] == "application/problem+json"
    assert answer.json()["status"] == 413
