"""A key sent in a URL is written by no log of the pod: the edge (the rendered master ConfigMap's
nginx.conf, over TLS) refuses a query string naming anything but the API's parameters before it
reads the body or asks a worker, a body too large included (whose 413 nginx's error log would write
with the request line). (The app's own lines redact any value but its parameters':
tests/functional/test_gunicorn_serving.py.)"""

import pytest
import requests

from chaos.infrastructure.api_keys import key_hash, new_key
from chaos.infrastructure.config.settings import DatabaseSettings
from harness.logs import logged_lines
from harness.network import free_port
from harness.pod.edge_proxy import nginx
from harness.pod.shape import local_store, running_pod
from tests.artifacts import published_by_publisher, save_model

KEY = new_key()
HEADER = {"Authorization": f"Bearer {KEY}"}
TOO_LARGE = b"x" * (10 * 2**20 + 1)
"""One byte above the edge's client_max_body_size."""


@pytest.fixture(scope="module")
def pod(tmp_path_factory):
    if nginx() is None:
        pytest.skip("nginx is not installed (.ci/run installs it; Debian: apt-get install nginx)")
    root = tmp_path_factory.mktemp("pod")
    save_model(root / "models", champion=True, store=published_by_publisher(root / "models"))
    database = DatabaseSettings(embedded=False, port=free_port())  # never reached: no route here reads it
    with running_pod(database, local_store(root / "models"), [key_hash(KEY)], root / "pod") as pod:
        yield pod


def call(pod, method: str, path: str, body: bytes | None = None) -> requests.Response:
    return requests.request(
        method, pod.url + path, data=body, headers=HEADER, timeout=30, verify=pod.certificate
    )


@pytest.mark.parametrize(
    "method, path, body",
    [
        ("GET", f"/models?api_key={KEY}", None),
        ("GET", f"/models?model=x&access_token={KEY}", None),
        ("GET", f"/models?api%5Fkey={KEY}", None),
        ("POST", f"/appetence/batch?api_key={KEY}", TOO_LARGE),
    ],
    ids=["api_key", "after a parameter of the API", "percent-encoded name", "body too large"],
)
def test_the_edge_refuses_a_key_in_the_url_and_no_log_line_holds_it(pod, method, path, body):
    answer = call(pod, method, path, body)
    assert answer.status_code == 400, answer.text
    assert answer.headers["Content-Type"] == "application/problem+json"
    assert "never in the URL" in answer.json()["detail"]
    assert logged_lines(pod.edge, '"status":400'), pod.edge.output()

    assert call(pod, "POST", "/appetence/batch", TOO_LARGE).status_code == 413
    assert logged_lines(pod.edge, "client intended to send too large body"), (
        "the error log writes a refused body's request line: without the refusal, the key would be there"
    )
    for component in (pod.edge, pod.app):
        assert KEY not in component.output()


def test_the_internal_port_refuses_a_key_in_the_url_too(pod):
    answer = requests.get(f"{pod.internal_url}/metrics?api_key={KEY}", timeout=10)
    assert answer.status_code == 400
    assert requests.get(f"{pod.internal_url}/metrics", timeout=10).status_code == 200
    for component in (pod.edge, pod.app):
        assert KEY not in component.output()


def test_the_api_parameters_pass_the_edge(pod):
    answer = call(pod, "GET", "/models?model=nothing&explain=false&replace=false")
    assert answer.status_code == 200, answer.text
