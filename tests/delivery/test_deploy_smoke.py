"""deployment/deploy.sh after its checks: a canary pod smoke-tested before any customer's request
reaches the new version, every workload (the Deployment and the CronJobs) applied together, the
rollout awaited, the public URL smoke-tested, and every workload undone together when any of it fails.

kubectl is replaced at the command boundary only: a `kubectl` first on PATH that records its
arguments (and what an `apply -f` applies), answers as scripted, and whose `port-forward` reaches the
suite's target through a local TCP forwarder, as kubectl's tunnel reaches the pod. The smoke tests are
real, against the suite's target (tests/e2e): gunicorn for the canary, the edge for the public URL.
"""

import hashlib
import json
import socket
import stat
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from harness.delivery import DEPLOY_VALUES, DEPLOYMENT, SAMPLE_IMAGE, deploy_environment
from harness.fault_proxy import FaultProxy

FAKE_KUBECTL = """#!/bin/sh
printf '%s\\n' "$*" >> "$FAKE_KUBECTL_LOG"
n=$(grep -cxF -- "$*" "$FAKE_KUBECTL_LOG")
if [ "$1 $2" = "apply -f" ]; then
  cat "$3" >> "$FAKE_KUBECTL_LOG.applied" && echo >> "$FAKE_KUBECTL_LOG.applied"
fi
# A command line matching the pattern FAKE_KUBECTL_FAILS fails at its FAKE_KUBECTL_FAILS_AT-th call
# (the first by default).
case "$*" in ${FAKE_KUBECTL_FAILS:-/}) [ "$n" = "${FAKE_KUBECTL_FAILS_AT:-1}" ] && exit 1 ;; esac
if [ "$1" = port-forward ]; then
  echo "Forwarding from 127.0.0.1:$FAKE_KUBECTL_FORWARD_PORT -> ${5#:}"
  exec sleep 600
fi
# Scripted answers: ANSWERS/KEY.N for the N-th call of a command line, else ANSWERS/KEY.
key=$(printf '%s' "$*" | sha256sum | cut -c1-16)
for answer in "$FAKE_KUBECTL_ANSWERS/$key.$n" "$FAKE_KUBECTL_ANSWERS/$key"; do
  if [ -f "$answer" ]; then cat "$answer"; break; fi
done
"""
NS = "--namespace chaos-staging"
CANARY = [
    "scale deployment/chaos-canary --namespace chaos-staging --replicas 1",
    "rollout status deployment/chaos-canary --namespace chaos-staging --timeout 300s",
    "port-forward deployment/chaos-canary --namespace chaos-staging :5000",
    "scale deployment/chaos-canary --namespace chaos-staging --replicas 0",
]
LIST_JOBS = f"get cronjobs {NS} -l app.kubernetes.io/name=chaos -o name"
LAST_APPLIED = "-o jsonpath={.metadata.annotations.kubectl\\.kubernetes\\.io/last-applied-configuration}"
ROLLOUT = f"rollout status deployment/chaos {NS} --timeout 300s"
UNDO = f"rollout undo deployment/chaos {NS}"
JOBS = ("chaos-calibrate", "chaos-monitor", "chaos-retrain")
RAN_BEFORE = {job: {"kind": "CronJob", "metadata": {"name": job}, "image": f"{job}@previous"} for job in JOBS}


def keep(job: str) -> str:
    return f"get cronjob.batch/{job} {NS} {LAST_APPLIED}"


def restore(job: str) -> str:
    return f"apply -f {{work}}/previous/{job}.json"


class Cluster:
    """What the fake kubectl says about the cluster, and what it was asked."""

    def __init__(self, folder: Path):
        self.answers = folder / "answers"
        self.answers.mkdir()
        self.log = folder / "kubectl.log"

    def answer(self, command: str, text: str, nth: int | None = None) -> None:
        key = hashlib.sha256(command.encode()).hexdigest()[:16]
        (self.answers / (key if nth is None else f"{key}.{nth}")).write_text(text)

    def running(self, jobs: dict[str, dict], after: list[str] | None = None) -> None:
        """The CronJobs of chaos before the deploy, with their last applied manifests; `after`: the
        names listed from then on (the deploy's own new ones among them)."""
        self.answer(LIST_JOBS, "".join(f"cronjob.batch/{job}\n" for job in jobs), nth=1)
        self.answer(LIST_JOBS, "".join(f"cronjob.batch/{job}\n" for job in after or jobs))
        for job, manifest in jobs.items():
            self.answer(keep(job), json.dumps(manifest))

    def calls(self) -> list[str]:
        """The command lines, the deploy's temporary folder written {work}."""
        lines = self.log.read_text().splitlines() if self.log.exists() else []
        applied = [line for line in lines if line.startswith(f"apply -k {DEPLOYMENT}/.pinned-")]
        if not applied:
            return lines
        work = applied[0].split()[2]
        return [line.replace(work, "{work}") for line in lines]

    def applied(self) -> list[dict]:
        """What each `apply -f` applied, in order."""
        path = self.log.with_name(self.log.name + ".applied")
        return [json.loads(line) for line in path.read_text().splitlines() if line] if path.exists() else []


@pytest.fixture
def cluster(tmp_path):
    return Cluster(tmp_path)


@pytest.fixture
def deploy(target, cluster, tmp_path):
    """Runs deploy.sh for staging against the target, with the fake kubectl whose port-forward reaches
    the target's gunicorn; returns the result."""
    if target.app_url is None:
        pytest.skip("the target does not say where its gunicorn listens: no canary to forward to")
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "kubectl").write_text(FAKE_KUBECTL)
    (fake / "kubectl").chmod(stat.S_IRWXU)
    url = urlsplit(target.url)
    assert url.scheme == "https", "deploy.sh smoke-tests https://CHAOS_DOMAIN"
    app = urlsplit(target.app_url)
    variables = {
        "PATH": f"{fake}:{Path(sys.executable).parent}:/usr/bin:/bin",
        "FAKE_KUBECTL_LOG": str(cluster.log),
        "FAKE_KUBECTL_ANSWERS": str(cluster.answers),
        "CHAOS_DOMAIN": url.netloc,
        "CHAOS_SMOKE_KEY": target.key,
    }
    if isinstance(target.verify, str):
        variables["SSL_CERT_FILE"] = target.verify  # the edge's self-signed certificate

    def run(*options: str, **extra: str) -> subprocess.CompletedProcess:
        with FaultProxy((app.hostname, app.port)) as tunnel:
            return subprocess.run(
                [str(DEPLOYMENT / "deploy.sh"), "staging", SAMPLE_IMAGE, *options],
                env=deploy_environment(
                    **(variables | {"FAKE_KUBECTL_FORWARD_PORT": str(tunnel.port)} | extra)
                ),
                capture_output=True,
                text=True,
                timeout=180,
            )

    return run


def canary_then(calls: list[str]) -> list[str]:
    """The calls after a canary that ran as it should."""
    first, *rest = calls
    assert first == "apply -k {work} --selector app.kubernetes.io/component in (canary,configuration)", first
    assert rest[: len(CANARY)] == CANARY
    return rest[len(CANARY) :]


def applied_then(calls: list[str]) -> list[str]:
    """The calls after every CronJob's manifest was kept and everything applied."""
    assert calls[: 1 + len(JOBS)] == [LIST_JOBS, *(keep(job) for job in JOBS)]
    assert calls[1 + len(JOBS)] == "apply -k {work}"
    return calls[2 + len(JOBS) :]


UNDONE = [UNDO, LIST_JOBS, *(restore(job) for job in JOBS), ROLLOUT]
"""Every workload back: the Deployment's previous revision, each CronJob's kept manifest."""


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_healthy_deploy_passes_the_canary_and_the_public_smoke_test_and_nothing_is_undone(deploy, cluster):
    cluster.running(RAN_BEFORE)
    result = deploy()
    assert result.returncode == 0, result.stdout + result.stderr
    assert applied_then(canary_then(cluster.calls())) == [ROLLOUT]
    assert cluster.applied() == []
    assert result.stdout.count("ok ready\nok score\nok batch\nok unauthorized\n") == 2  # canary, then public


def test_a_canary_that_fails_its_smoke_test_changes_nothing_else(deploy, cluster, target):
    cluster.running(RAN_BEFORE)
    with target.database_stopped():
        result = deploy()
    assert result.returncode == 1
    assert canary_then(cluster.calls()) == []  # the canary is back to zero pods; nothing else applied
    assert "FAILED ready: GET /ready answered 503" in result.stdout
    assert "failed the smoke test (smoke: http://127.0.0.1:" in result.stderr
    assert "rejected by its canary: nothing else of staging was changed" in result.stderr


def test_a_canary_that_never_becomes_ready_changes_nothing_else(deploy, cluster):
    result = deploy(FAKE_KUBECTL_FAILS=CANARY[1])
    assert result.returncode == 1
    calls = cluster.calls()
    assert calls[1:3] == CANARY[:2] and calls[-1] == CANARY[-1]
    assert [line.split()[:2] for line in calls[3:-1]] == [["get", "pods"], ["get", "events"]]
    assert "the canary of" in result.stderr and "did not become ready" in result.stderr


def test_a_rollout_that_does_not_complete_undoes_every_workload(deploy, cluster):
    cluster.running(RAN_BEFORE)
    result = deploy(FAKE_KUBECTL_FAILS=ROLLOUT)
    assert result.returncode == 1
    rest = applied_then(canary_then(cluster.calls()))
    assert rest[0] == ROLLOUT
    assert [line.split()[:2] for line in rest[1:3]] == [["get", "pods"], ["get", "events"]]
    assert rest[3:] == UNDONE
    assert cluster.applied() == list(RAN_BEFORE.values())  # each CronJob as it was applied before
    assert "rollout of" in result.stderr and "did not complete; pods and recent events" in result.stderr
    assert "staging is back on its previous version" in result.stderr


def test_a_failed_public_smoke_test_undoes_every_workload(deploy, cluster):
    cluster.running(RAN_BEFORE)
    result = deploy(CHAOS_DOMAIN=f"127.0.0.1:{closed_port()}")  # the canary passes, the edge is gone
    assert result.returncode == 1
    rest = applied_then(canary_then(cluster.calls()))
    assert rest == [ROLLOUT, *UNDONE]
    assert cluster.applied() == list(RAN_BEFORE.values())
    assert "smoke test of staging failed (smoke: https://127.0.0.1:" in result.stderr
    assert "FAILED ready: GET /ready: no answer" in result.stdout


def test_scheduled_jobs_new_with_the_deploy_are_removed_by_the_undo(deploy, cluster):
    before = {"chaos-calibrate": RAN_BEFORE["chaos-calibrate"]}
    cluster.running(before, after=list(JOBS))
    result = deploy(FAKE_KUBECTL_FAILS=ROLLOUT)
    assert result.returncode == 1
    calls = cluster.calls()
    assert calls[calls.index(UNDO) :] == [
        UNDO,
        LIST_JOBS,
        restore("chaos-calibrate"),
        f"delete cronjob.batch/chaos-monitor {NS}",
        f"delete cronjob.batch/chaos-retrain {NS}",
        ROLLOUT,
    ]
    assert cluster.applied() == [RAN_BEFORE["chaos-calibrate"]]


def test_a_failed_apply_undoes_what_it_may_have_changed(deploy, cluster):
    cluster.running(RAN_BEFORE)
    result = deploy(FAKE_KUBECTL_FAILS=f"apply -k {DEPLOYMENT}/.pinned-??????")
    assert result.returncode == 1
    assert applied_then(canary_then(cluster.calls())) == UNDONE
    assert "the apply of" in result.stderr and "undoing every workload of staging" in result.stderr


def test_an_undo_that_does_not_complete_says_so(deploy, cluster):
    cluster.running(RAN_BEFORE)
    result = deploy(
        FAKE_KUBECTL_FAILS=ROLLOUT, FAKE_KUBECTL_FAILS_AT="2", CHAOS_DOMAIN=f"127.0.0.1:{closed_port()}"
    )
    assert result.returncode == 1
    assert UNDO in cluster.calls()
    assert "the undo of staging did not complete: look at it now" in result.stderr


def test_the_first_deploy_may_skip_the_smoke_tests_and_nothing_else(deploy, cluster):
    cluster.running({})
    result = deploy("--no-smoke", CHAOS_SMOKE_KEY="")
    assert result.returncode == 0, result.stderr
    assert cluster.calls() == [LIST_JOBS, "apply -k {work}", ROLLOUT]
    assert "smoke" not in result.stdout


@pytest.mark.parametrize("missing", ["CHAOS_SMOKE_KEY", "TRAIN_IMAGE", "ALERT_PAGE_URL"])
def test_without_a_required_value_nothing_is_applied(deploy, cluster, missing):
    result = deploy(**{missing: ""})
    assert result.returncode == 2 and missing in result.stderr
    assert cluster.calls() == []


def test_the_training_image_must_be_pinned_by_digest(deploy, cluster):
    tag = DEPLOY_VALUES["TRAIN_IMAGE"].split("@")[0] + ":latest"
    result = deploy(TRAIN_IMAGE=tag)
    assert result.returncode == 2 and "TRAIN_IMAGE" in result.stderr and tag in result.stderr
    assert cluster.calls() == []
