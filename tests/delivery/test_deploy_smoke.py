"""deployment/deploy.sh after `kubectl apply`: it waits for the rollout, smoke-tests the environment's
URL with deployment/smoke.py and, when a check fails, rolls back and fails naming the check.

kubectl is replaced at the command boundary only: a `kubectl` first on PATH that records its
arguments and answers as told. The smoke test is real, against the suite's target (tests/e2e): a
healthy API, then the same with its database stopped.
"""

import stat
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from harness.delivery import DEPLOYMENT, SAMPLE_IMAGE, deploy_environment

FAKE_KUBECTL = """#!/bin/sh
printf '%s\\n' "$*" >> "$FAKE_KUBECTL_LOG"
# The command line FAKE_KUBECTL_FAILS fails at its FAKE_KUBECTL_FAILS_AT-th call (the first by default).
if [ "$*" = "${FAKE_KUBECTL_FAILS:-}" ] \\
  && [ "$(grep -cxF -- "$*" "$FAKE_KUBECTL_LOG")" = "${FAKE_KUBECTL_FAILS_AT:-1}" ]; then
  exit 1
fi
"""
ROLLOUT = "rollout status deployment/chaos --namespace chaos-staging --timeout 300s"
UNDO = "rollout undo deployment/chaos --namespace chaos-staging"


@pytest.fixture
def deploy(target, tmp_path):
    """Runs deploy.sh for staging against the target, with the fake kubectl; returns (result, the
    kubectl command lines in order)."""
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "kubectl").write_text(FAKE_KUBECTL)
    (fake / "kubectl").chmod(stat.S_IRWXU)
    log = tmp_path / "kubectl.log"
    url = urlsplit(target.url)
    assert url.scheme == "https", "deploy.sh smoke-tests https://CHAOS_DOMAIN"
    variables = {
        "PATH": f"{fake}:{Path(sys.executable).parent}:/usr/bin:/bin",
        "FAKE_KUBECTL_LOG": str(log),
        "CHAOS_DOMAIN": url.netloc,
        "CHAOS_SMOKE_KEY": target.key,
    }
    if isinstance(target.verify, str):
        variables["SSL_CERT_FILE"] = target.verify  # the edge's self-signed certificate

    def run(*options: str, **extra: str) -> tuple[subprocess.CompletedProcess, list[str]]:
        result = subprocess.run(
            [str(DEPLOYMENT / "deploy.sh"), "staging", SAMPLE_IMAGE, *options],
            env=deploy_environment(**(variables | extra)),
            capture_output=True,
            text=True,
            timeout=180,
        )
        calls = log.read_text().splitlines() if log.exists() else []
        return result, calls

    return run


def applied_then(calls: list[str]) -> list[str]:
    apply, *rest = calls
    assert apply.startswith(f"apply -k {DEPLOYMENT}/.pinned-"), apply
    return rest


def test_a_healthy_deploy_passes_the_smoke_test_and_stays(deploy):
    result, calls = deploy()
    assert result.returncode == 0, result.stdout + result.stderr
    assert applied_then(calls) == [ROLLOUT]
    assert "ok ready\nok score\nok batch\nok unauthorized\n" in result.stdout


def test_a_failed_smoke_check_rolls_back_and_fails_naming_it(deploy, target):
    with target.database_stopped():
        result, calls = deploy()
    assert result.returncode == 1
    assert applied_then(calls) == [ROLLOUT, UNDO, ROLLOUT]
    assert "FAILED ready: GET /ready answered 503" in result.stdout
    assert f"smoke test of staging failed (smoke: {target.url} failed: ready" in result.stderr
    assert "staging is back on its previous version" in result.stderr


def test_a_rollout_that_does_not_complete_fails_before_any_smoke_test(deploy):
    result, calls = deploy(FAKE_KUBECTL_FAILS=ROLLOUT)
    assert result.returncode == 1
    rest = applied_then(calls)
    assert (
        rest[0] == ROLLOUT
        and UNDO not in rest
        and [line.split()[:2] for line in rest[1:]]
        == [
            ["get", "pods"],
            ["get", "events"],
        ]
    )
    assert "did not complete; pods and recent events" in result.stderr
    assert "smoke" not in result.stdout


def test_a_rollback_that_does_not_complete_says_so(deploy, target):
    bad_key = "not-a-key-of-this-deployment"
    result, calls = deploy(CHAOS_SMOKE_KEY=bad_key, FAKE_KUBECTL_FAILS=ROLLOUT, FAKE_KUBECTL_FAILS_AT="2")
    assert result.returncode == 1
    assert applied_then(calls) == [ROLLOUT, UNDO, ROLLOUT]
    assert "the rollback of staging did not complete either" in result.stderr


def test_a_wrong_smoke_key_is_a_failed_deploy_rolled_back(deploy, target):
    result, calls = deploy(CHAOS_SMOKE_KEY="not-a-key-of-this-deployment")
    assert result.returncode == 1
    assert applied_then(calls) == [ROLLOUT, UNDO, ROLLOUT]
    assert f"failed (smoke: {target.url} failed: score, batch)" in result.stderr


def test_the_first_deploy_may_skip_the_smoke_test_and_nothing_else(deploy):
    result, calls = deploy("--no-smoke", CHAOS_SMOKE_KEY="")
    assert result.returncode == 0, result.stderr
    assert applied_then(calls) == [ROLLOUT]
    assert "smoke" not in result.stdout


def test_without_a_smoke_key_nothing_is_applied(deploy):
    result, calls = deploy(CHAOS_SMOKE_KEY="")
    assert result.returncode == 2 and "CHAOS_SMOKE_KEY" in result.stderr
    assert calls == []
