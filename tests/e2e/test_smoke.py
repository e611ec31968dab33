"""deployment/smoke.py, the checks run after every deploy, against the suite's target: it passes on a
healthy API, and with the database stopped it fails, naming the failed check."""

import os
import subprocess
import sys

from harness.delivery import DEPLOYMENT

SMOKE = DEPLOYMENT / "smoke.py"


def smoke(target, key: str | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, str(SMOKE), target.url]
    if isinstance(target.verify, str):
        command += ["--cacert", target.verify]
    environment = {**os.environ, "CHAOS_SMOKE_KEY": key or target.key}
    return subprocess.run(command, env=environment, capture_output=True, text=True, timeout=120)


def test_smoke_passes_on_a_healthy_api(target):
    result = smoke(target)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[:4] == ["ok ready", "ok score", "ok batch", "ok unauthorized"]


def test_smoke_fails_naming_every_check_a_wrong_key_breaks(target):
    result = smoke(target, key="not-a-key-of-this-deployment")
    assert result.returncode == 1, result.stdout
    assert result.stdout.splitlines()[-1] == f"smoke: {target.url} failed: score, batch", result.stdout


def test_smoke_fails_naming_the_check_when_the_database_is_stopped(target):
    with target.database_stopped():
        result = smoke(target)
    assert result.returncode == 1, result.stdout
    assert "FAILED ready: GET /ready answered 503" in result.stdout
    assert result.stdout.splitlines()[-1].startswith(f"smoke: {target.url} failed: ready")


def test_smoke_refuses_to_run_without_a_key(target):
    result = subprocess.run(
        [sys.executable, str(SMOKE), target.url],
        env={name: value for name, value in os.environ.items() if name != "CHAOS_SMOKE_KEY"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "CHAOS_SMOKE_KEY" in result.stderr
