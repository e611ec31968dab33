"""Load-test your own chaos deployment with locust (not a project dependency: `pip install locust`).

    CHAOS_API_KEY=<key> locust -f bench/locustfile.py --host http://127.0.0.1:5000 \
        --headless --users 20 --spawn-rate 5 --run-time 1m

Simulated marketing tools mostly score one customer at a time, now and then send a campaign list
(CHAOS_BATCH_ROWS customers, default 100) and look up the models. The bodies are the API's own
documented example, so the test needs nothing but a key (the demo's by default).
"""

import os
import random

from locust import HttpUser, between, task

from chaos.entrypoints.web.appetence_schema import EXAMPLE_REQUEST
from chaos.infrastructure.api_keys import DEMO_KEY

KEY = os.environ.get("CHAOS_API_KEY", DEMO_KEY)
BATCH_ROWS = int(os.environ.get("CHAOS_BATCH_ROWS", "100"))


def customer() -> dict:
    return {**EXAMPLE_REQUEST, "age": random.randint(18, 95), "balance": random.randint(-2000, 50_000)}


class MarketingTool(HttpUser):
    wait_time = between(0.05, 0.5)

    def on_start(self) -> None:
        self.client.headers["Authorization"] = f"Bearer {KEY}"

    @task(20)
    def score_one(self) -> None:
        self.client.post("/appetence", json=customer(), name="POST /appetence")

    @task(1)
    def score_campaign(self) -> None:
        body = {"customers": [customer() for _ in range(BATCH_ROWS)]}
        self.client.post("/appetence/batch", json=body, name="POST /appetence/batch")

    @task(1)
    def list_models(self) -> None:
        self.client.get("/models", name="GET /models")
