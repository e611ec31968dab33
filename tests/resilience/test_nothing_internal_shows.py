"""What a caller of the public port can learn is the API, nothing of the inside: no metrics, no file,
host, port or driver message, no key written in clear in a log, no redirect to another host, no
weak TLS suite."""

import subprocess
import uuid

import requests

from chaos.entrypoints.web.appetence_schema import EXAMPLE_REQUEST
from harness.logs import logged_lines
from tests.support.resilience import AUTHORIZATION, SERVING_ROLE

EVIL_HOST = "attacker.example"


def test_metrics_are_not_served_on_the_public_port_but_on_the_internal_one(edge_pod):
    public = requests.get(f"{edge_pod.url}/metrics", timeout=5, verify=edge_pod.certificate)
    hidden = [
        requests.get(f"{edge_pod.url}{path}", timeout=5, verify=edge_pod.certificate).status_code
        for path in ("/metrics/", "//metrics", "/%6Detrics", "/metrics?model=1")
    ]
    internal = requests.get(f"{edge_pod.internal_url}/metrics", timeout=5)
    print(f"/metrics: public {public.status_code} {hidden}, internal {internal.status_code}")
    assert public.status_code == 404
    assert "chaos_" not in public.text
    assert hidden == [404] * 4
    assert internal.status_code == 200
    assert "# TYPE chaos_" in internal.text


def test_answers_without_the_database_name_no_host_port_or_driver_message(serve, proxy):
    server = serve()
    proxy.refuse()
    request_id = uuid.uuid4().hex
    ready = requests.get(f"{server.url}/ready", headers={"X-Request-ID": request_id}, timeout=10)
    score = requests.post(f"{server.url}/appetence", json=EXAMPLE_REQUEST, headers=AUTHORIZATION, timeout=10)
    _, port = proxy.address
    print(f"/ready {ready.status_code}: {ready.text.strip()}")
    print(f"/appetence {score.status_code}: {score.text.strip()}")
    assert (ready.status_code, score.status_code) == (503, 503)
    for answer in (ready.text, score.text):
        for internal in ("127.0.0.1", str(port), "connection", "psycopg2", "server", SERVING_ROLE):
            assert internal not in answer
    (line,) = logged_lines(server, request_id, str(port))
    assert "not ready: database unreachable" in line  # the log keeps what the answer leaves out


def test_an_unservable_model_names_no_file(steady_server, resilience_database):
    answer = requests.post(
        f"{steady_server.url}/appetence?model=../../etc",
        json={},
        headers=AUTHORIZATION,
        timeout=10,
    )
    print(f"?model=../../etc {answer.status_code}: {answer.json()['detail']}")
    assert answer.status_code == 404
    assert str(resilience_database.models) not in answer.text
    assert "/" not in answer.json()["detail"].replace("../../etc", "")


def test_a_key_in_the_query_string_is_written_in_no_log_line(steady_server):
    secret = "chaos_" + uuid.uuid4().hex  # pragma: allowlist secret
    answer = requests.get(f"{steady_server.url}/models?api_key={secret}&model=v1", timeout=10)
    assert answer.status_code == 401
    (line,) = logged_lines(steady_server, "api_key=", '"/models"')
    log = steady_server.output()
    print(f"access line: {line}")
    assert secret not in log
    assert "api_key=[redacted]&model=v1" in line


def test_docs_redirect_stays_on_the_host_the_client_reached(edge_pod):
    answer = requests.get(
        f"{edge_pod.url}/docs",
        headers={"Host": EVIL_HOST},
        allow_redirects=False,
        timeout=5,
        verify=edge_pod.certificate,
    )
    print(f"/docs with Host {EVIL_HOST}: {answer.status_code} Location {answer.headers.get('Location')}")
    assert answer.status_code == 308
    assert answer.headers["Location"] == "/docs/"


def handshake(url: str, *choice: str) -> bool:
    """Whether `openssl s_client` completes a handshake with these options (its own floor lowered)."""
    return (
        subprocess.run(
            ["openssl", "s_client", "-connect", url.removeprefix("https://"), *choice],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=10,
        ).returncode
        == 0
    )


def offered_suites(url: str) -> dict[str, list[str]]:
    """Every suite this OpenSSL knows, tried one at a time against the edge: those it accepts, per version."""
    names = subprocess.run(
        ["openssl", "ciphers", "ALL:COMPLEMENTOFALL:@SECLEVEL=0"], capture_output=True, text=True, check=True
    ).stdout.strip()
    offered: dict[str, list[str]] = {"TLSv1.2": [], "TLSv1.3": []}
    for name in names.split(":"):
        if name.startswith("TLS_"):
            if handshake(url, "-tls1_3", "-ciphersuites", name):
                offered["TLSv1.3"].append(name)
        elif handshake(url, "-tls1_2", "-cipher", f"{name}:@SECLEVEL=0"):
            offered["TLSv1.2"].append(name)
    return offered


def test_the_edge_offers_only_aead_suites_with_forward_secrecy(edge_pod):
    offered = offered_suites(edge_pod.url)
    print(f"the edge offers: {offered}")
    assert offered["TLSv1.2"], "TLS 1.2 clients must still get in"
    assert offered["TLSv1.3"]
    for suite in offered["TLSv1.2"]:
        assert suite.startswith("ECDHE-"), suite
        assert "GCM" in suite or "CHACHA20-POLY1305" in suite, suite
    assert not handshake(edge_pod.url, "-tls1_1", "-cipher", "ALL:@SECLEVEL=0")
    assert handshake(edge_pod.url, "-tls1_2", "-cipher", "ALL:@SECLEVEL=0")  # the same client gets in on 1.2
