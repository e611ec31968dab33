"""`/metrics` under real gunicorn with two workers: prometheus-client's multiprocess files let one
scrape, answered by either worker, count the requests both served."""

from pathlib import Path

import requests
from prometheus_client import CollectorRegistry
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.parser import text_string_to_metric_families

from tests.support.served import configuration
from tests.web_clients import DEMO_AUTHORIZATION

MAX_REQUESTS = 400
SERVED = ("chaos_http_requests_total", {"endpoint": "/models", "method": "GET", "status": "200"})


def served_models_requests(families) -> float:
    name, labels = SERVED
    return sum(
        sample.value
        for family in families
        for sample in family.samples
        if sample.name == name and sample.labels == labels
    )


def per_worker(directory: Path) -> dict[str, float]:
    """What each worker's own sample file says (the files are named after the worker's pid)."""
    counts = {}
    for path in directory.glob("counter_*.db"):
        registry = CollectorRegistry()
        collector = MultiProcessCollector(registry, path=str(directory))
        counts[path.stem] = served_models_requests(collector.merge([str(path)], accumulate=True))
    return counts


def test_one_scrape_counts_the_requests_of_both_workers(
    start_server, database_settings, trained_models, tmp_path, monkeypatch
):
    directory = tmp_path / "prometheus"
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(directory))
    server = start_server(configuration(database_settings, trained_models[0]), workers=2).wait_until_up()
    sent = 0
    while sent < MAX_REQUESTS and sum(1 for count in per_worker(directory).values() if count) < 2:
        response = requests.get(
            f"{server.url}/models", headers={**DEMO_AUTHORIZATION, "Connection": "close"}, timeout=10
        )
        assert response.status_code == 200
        sent += 1
    workers = {pid: count for pid, count in per_worker(directory).items() if count}
    assert len(workers) == 2, f"one worker served all {sent} requests"
    assert sum(workers.values()) == sent

    for _ in range(4):  # whichever worker answers the scrape, it reports both
        scrape = requests.get(f"{server.url}/metrics", headers={"Connection": "close"}, timeout=10)
        assert scrape.status_code == 200
        assert served_models_requests(text_string_to_metric_families(scrape.text)) == sent
