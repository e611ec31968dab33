"""The API the end-to-end suite calls: a base URL and a key given as parameters, or, without them,
`make pod`'s shape (harness/pod/shape.py) started for the suite on demo data.

Parameters (environment variables, so that any runner can set them):
  CHAOS_E2E_URL       base URL of a running chaos (e.g. the pipeline's service, http://chaos:5000)
  CHAOS_E2E_KEY       an API key it accepts (scoring scope)
  CHAOS_E2E_CACERT    optional: the certificate to trust when the URL is HTTPS with a private one
  CHAOS_E2E_DATABASE_ADMIN_URL  optional: a postgresql:// URL of the served database as its owner
                      (or a superuser); with it the suite stops the database (refuses connections
                      to it) to check the 503
  CHAOS_E2E_METRICS_URL  optional: where Prometheus scrapes `/metrics` when it is not the base URL
                      (behind the edge, its internal port: the public one answers 404 there)
"""

import contextlib
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pytest
import requests
import sqlalchemy as sa

from chaos.infrastructure.api_keys import key_hash, new_key
from chaos.infrastructure.config.settings import DatabaseSettings
from chaos.infrastructure.db.engine import create_engine
from chaos.infrastructure.demo.seeding import seed_demo
from harness.fault_proxy import FaultProxy
from harness.pod.edge_proxy import nginx
from harness.pod.shape import local_store, running_pod
from harness.publisher import resigned
from tests.support.database import emptied, external_database
from tests.support.served import DEMO_ROWS

URL, KEY, CACERT, DATABASE_ADMIN_URL, METRICS_URL = (
    "CHAOS_E2E_URL",
    "CHAOS_E2E_KEY",
    "CHAOS_E2E_CACERT",
    "CHAOS_E2E_DATABASE_ADMIN_URL",
    "CHAOS_E2E_METRICS_URL",
)
RECOVERY_SECONDS = 30
READY_STREAK = 5
"""Consecutive 200s of /ready that end an outage: one 200 comes from one gunicorn worker, and the
next request may go to another that has not reconnected yet."""


class DatabaseSwitch(Protocol):
    def stopped(self) -> contextlib.AbstractContextManager[None]:
        """The served database unreachable within the block, back after it."""


@dataclass(frozen=True)
class Target:
    url: str
    key: str
    verify: str | bool
    database: DatabaseSwitch | None
    metrics_url: str
    """The base URL Prometheus scrapes; the API's own when nothing stands in front of it."""
    app_url: str | None = None
    """gunicorn's own base URL behind the edge, where a port-forward into the pod lands; None when
    the target does not say."""

    def call(self, method: str, path: str, keyed: bool = True, headers: dict | None = None, **kwargs):
        """One request to the API, with the suite's key unless `keyed` is false. The certificate to
        trust goes with each request: requests lets $REQUESTS_CA_BUNDLE override a session's."""
        headers = ({"Authorization": f"Bearer {self.key}"} if keyed else {}) | (headers or {})
        return requests.request(
            method, self.url + path, headers=headers, verify=self.verify, timeout=30, **kwargs
        )

    @contextlib.contextmanager
    def database_stopped(self) -> Iterator[None]:
        """The served database stopped within the block; after it, back and the API steadily ready again
        (within RECOVERY_SECONDS), so that the next test finds the API as it was."""
        if self.database is None:
            pytest.skip(f"no way to stop this target's database (set ${DATABASE_ADMIN_URL})")
        with self.database.stopped():
            yield
        deadline, streak = time.monotonic() + RECOVERY_SECONDS, 0
        while streak < READY_STREAK:
            ready = self.call("GET", "/ready", keyed=False)
            streak = streak + 1 if ready.status_code == 200 else 0
            assert time.monotonic() < deadline, f"not steadily ready {RECOVERY_SECONDS}s after: {ready.text}"
            time.sleep(0.2)


@dataclass(frozen=True)
class ClosedDatabase:
    """Stops a database as its clients see it: no new connection admitted, open ones terminated.
    `administrator` connects to the server's maintenance database as the owner or a superuser."""

    administrator: DatabaseSettings
    name: str

    @contextlib.contextmanager
    def stopped(self) -> Iterator[None]:
        engine = create_engine(self.administrator)
        quoted = engine.dialect.identifier_preparer.quote(self.name)
        try:
            with engine.begin() as connection:
                connection.execute(sa.text(f"ALTER DATABASE {quoted} ALLOW_CONNECTIONS false"))
                connection.execute(
                    sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"),
                    {"name": self.name},
                )
            yield
        finally:
            with engine.begin() as connection:
                connection.execute(sa.text(f"ALTER DATABASE {quoted} ALLOW_CONNECTIONS true"))
            engine.dispose()


@dataclass(frozen=True)
class ProxyDown:
    """The pod's Cloud SQL proxy stand-in refusing and cutting connections."""

    proxy: FaultProxy

    @contextlib.contextmanager
    def stopped(self) -> Iterator[None]:
        self.proxy.down()
        try:
            yield
        finally:
            self.proxy.accept()


def given_target() -> Target | None:
    """The target named by the environment, or None when the suite should start its own."""
    url = os.environ.get(URL)
    if not url:
        return None
    key = os.environ.get(KEY) or pytest.fail(f"${URL} is set: set ${KEY} to a key it accepts")
    database = None
    if admin_url := os.environ.get(DATABASE_ADMIN_URL):
        served = external_database(admin_url)
        database = ClosedDatabase(served.model_copy(update={"name": "postgres"}), served.name)
    return Target(url, key, os.environ.get(CACERT) or True, database, os.environ.get(METRICS_URL) or url)


@pytest.fixture(scope="package")
def started_target(request) -> Iterator[Target]:
    """The given target, else a local pod started once for the worker's session."""
    if (given := given_target()) is not None:
        yield given
        return
    yield from _local_pod(request)


@pytest.fixture(scope="module")
def target(started_target, request) -> Target:
    """The suite's target; a local pod's tables are seeded afresh for each module: the pod outlives the
    module, and the tests run in between on the session's PostgreSQL empty or replace its data."""
    if given_target() is None:
        seed_demo(emptied(request.getfixturevalue("migrated_engine")), rows=DEMO_ROWS)
    return started_target


def _local_pod(request) -> Iterator[Target]:
    """`make pod`'s shape on the session's PostgreSQL, with the session's model."""
    if nginx() is None:
        pytest.skip("nginx is not installed (.ci/run installs it; Debian: apt-get install nginx)")
    # Emptied first: trained_models, on its first use, seeds the database and refuses other data.
    emptied(request.getfixturevalue("migrated_engine"))
    models, _ = request.getfixturevalue("trained_models")
    root: Path = request.getfixturevalue("tmp_path_factory").mktemp("e2e-pod")
    key = new_key()
    database = request.getfixturevalue("database_settings")
    signed = resigned(models, root / "models")  # the pod's database is an external one: not the demo key
    with running_pod(database, local_store(signed), [key_hash(key)], root) as pod:
        yield Target(
            pod.url, key, str(pod.certificate), ProxyDown(pod.database), pod.internal_url, pod.app.url
        )
