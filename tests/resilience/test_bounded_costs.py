"""Hostile bodies the size limits admit cost a worker bounded memory and time, and hostile headers stay
small enough for the edge: each attack prints its figure (peak RSS growth, seconds, header bytes).

A worker's peak is read from the kernel (VmHWM, reset before each request), so no brief peak is
missed. The targets are those of docs/reliability.md: at most 64 MB of growth and 1 s
per request; the time is asserted with a margin, because this machine is shared with other work.
"""

import itertools
import json
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from chaos.entrypoints.web.appetence_schema import EXAMPLE_REQUEST
from chaos.entrypoints.web.batch_routes import MAX_IGNORED_BYTES, MAX_ROW_BYTES
from chaos.entrypoints.web.batch_schema import COLUMNS, cell_text
from chaos.infrastructure.config.settings import ApiSettings
from tests.support.resilience import AUTHORIZATION

MAX_GROWTH_MB = 64
MAX_SECONDS = 1
SHARED_MACHINE_MARGIN = 3
"""Seconds are asserted at three times the target: other work on this machine slows a request."""
LIMIT = ApiSettings().batch_max_rows * MAX_ROW_BYTES
"""The batch route's byte limit: every body below is admitted by size."""
JSON, CSV = "application/json", "text/csv"
HEADER = ",".join(COLUMNS) + "\n"
ROW = ",".join(cell_text(EXAMPLE_REQUEST.get(name)) for name in COLUMNS) + "\n"


def filled(head: str, item: str, tail: str = "", separator: str = "") -> bytes:
    """`head`, as many `item`s as fit under the limit, `tail`, in UTF-8."""
    room = LIMIT - 1 - len((head + tail).encode())
    count = room // len((item + separator).encode())
    return (head + separator.join(itertools.repeat(item, count)) + tail).encode()


ATTACKS = [
    pytest.param(CSV, filled(HEADER, "x\n"), 413, id="5.1 million one-cell CSV rows"),
    pytest.param(JSON, filled('{"customers": [', "{}", "]}", ","), 413, id="3.4 million empty JSON objects"),
    pytest.param(CSV, filled(HEADER, ROW), 413, id="140,000 valid CSV rows"),
    pytest.param(
        JSON,
        filled('{"customers": [{"age": [', "{}", "]}]}", ","),
        422,
        id="one customer of 3.4 million objects",
    ),
    pytest.param(CSV, filled(HEADER, ","), 422, id="one CSV line of 10 million separators"),
    pytest.param(CSV, (HEADER + ROW * 10_000).encode(), 200, id="10,000 valid CSV rows (the largest batch)"),
    pytest.param(
        JSON,
        json.dumps({"customers": [EXAMPLE_REQUEST] * 10_000}).encode(),
        200,
        id="10,000 valid JSON customers (the largest batch)",
    ),
]


def measured(server, content_type: str, body: bytes) -> tuple[requests.Response, float, float]:
    """The answer, the worst worker's peak RSS growth (MB) and the seconds it took."""
    baseline = server.reset_peak_rss()
    print(f"workers at {max(baseline.values()):.0f} MB before;", end=" ")
    started = time.perf_counter()
    response = requests.post(
        f"{server.url}/appetence/batch",
        data=body,
        headers={**AUTHORIZATION, "Content-Type": content_type},
        timeout=60,
    )
    seconds = time.perf_counter() - started
    return response, server.peak_rss_growth_mb(baseline), seconds


@pytest.mark.parametrize(("content_type", "body", "status"), ATTACKS)
def test_a_batch_body_costs_a_worker_bounded_memory_and_time(steady_server, content_type, body, status):
    response, growth, seconds = measured(steady_server, content_type, body)
    print(
        f"{len(body) / 2**20:.1f} MiB -> {response.status_code}: +{growth:.1f} MB peak RSS, {seconds:.2f} s"
    )
    assert response.status_code == status, response.text[:500]
    assert growth <= MAX_GROWTH_MB
    assert seconds <= MAX_SECONDS * SHARED_MACHINE_MARGIN


def test_two_such_bodies_at_once_through_the_edge_stay_bounded(edge_pod):
    body = filled(HEADER, "x\n")
    baseline = edge_pod.app.reset_peak_rss()

    def post(_) -> int:
        return requests.post(
            f"{edge_pod.url}/appetence/batch",
            data=body,
            headers={**AUTHORIZATION, "Content-Type": CSV},
            timeout=60,
            verify=edge_pod.certificate,
        ).status_code

    started = time.perf_counter()
    with ThreadPoolExecutor(2) as pool:
        statuses = list(pool.map(post, range(2)))
    seconds = time.perf_counter() - started
    growth = edge_pod.app.peak_rss_growth_mb(baseline)
    print(
        f"two 5.1 million-row CSVs through the edge: {statuses}, +{growth:.1f} MB peak RSS, {seconds:.2f} s"
    )
    assert statuses == [413, 413]
    assert growth <= MAX_GROWTH_MB


def case_variants(word: str, count: int) -> list[str]:
    """`count` spellings of `word` differing only by case: distinct headings the import reads past."""
    cases = ({c.lower(): None, c.upper(): None} for c in word)  # "_" has one case
    spellings = ("".join(letters) for letters in itertools.product(*cases))
    return list(itertools.islice(spellings, count))


def test_a_thousand_ignored_columns_give_a_short_header_through_the_edge(edge_pod):
    ignored = case_variants("duree_contact", 1_000)
    header = ",".join([*COLUMNS, *ignored, *ignored]) + "\n"  # each spelling twice: listed once
    row = ROW.rstrip("\n") + "," * (2 * len(ignored)) + "\n"
    response = requests.post(
        f"{edge_pod.url}/appetence/batch",
        data=(header + row).encode(),
        headers={**AUTHORIZATION, "Content-Type": CSV},
        timeout=10,
        verify=edge_pod.certificate,
    )
    listed = response.headers.get("X-Ignored-Columns", "")
    print(
        f"X-Ignored-Columns of {len(ignored)} distinct ignored columns: {len(listed.encode('latin-1'))} bytes"
    )
    assert response.status_code == 200, response.text[:500]
    assert len(listed.encode("latin-1")) <= MAX_IGNORED_BYTES
    assert listed.startswith("duree_contact, ")
    assert listed.endswith(" more)")
    names = listed.rpartition(" (+")[0].split(", ")
    assert len(names) == len(set(names))
    more = int(listed.rpartition("(+")[2].split()[0])
    assert len(names) + more == len(ignored)
