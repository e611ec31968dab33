"""The runbook's command that creates and replaces the Secret `chaos-secrets` keeps every item the
manifests mount from it: run as written (deployment/README.md, step 1) on a folder holding those
items, with kubectl's client-side rendering real and the cluster a stand-in that records what it is
asked to apply."""

import re
import stat
import subprocess

import yaml

from harness.delivery import DEPLOYMENT, ENVIRONMENTS, by_kind, tool

RUNBOOK = (DEPLOYMENT / "README.md").read_text()
SECRET = "chaos-secrets"  # pragma: allowlist secret (a name)
SAFE_PLACE = "/safe/place"

STAND_IN = """#!/bin/sh
# kubectl's client-side commands run for real; what would reach the cluster is recorded.
case "$*" in
  *--dry-run=client*) exec "$REAL_KUBECTL" "$@" ;;
esac
printf '%s\\n' "$*" >> "$RECORDED/calls"
[ "$*" = "apply -f -" ] && cat >> "$RECORDED/applied"
exit 0
"""


def mounted_items(environment: str) -> set[str]:
    """The keys of chaos-secrets mounted by any pod of the environment."""
    objects = by_kind(environment)
    specs = [d["spec"]["template"]["spec"] for d in objects["Deployment"].values()]
    specs += [j["spec"]["jobTemplate"]["spec"]["template"]["spec"] for j in objects["CronJob"].values()]
    return {
        item["key"]
        for spec in specs
        for volume in spec["volumes"]
        if volume.get("secret", {}).get("secretName") == SECRET
        for item in volume["secret"]["items"]
    }


def documented_command() -> str:
    """The bash block of the runbook that makes the Secret."""
    (block,) = [
        block
        for block in re.findall(r"```bash\n(.*?)```", RUNBOOK, re.DOTALL)
        if f"create secret generic {SECRET}" in block
    ]
    return block


def test_every_environment_mounts_the_four_documented_files():
    for environment in ENVIRONMENTS:
        assert mounted_items(environment) == {"config.yml", "calibrate.yml", "retrain.yml", "signing.pem"}


def test_the_documented_command_puts_every_mounted_item_in_the_secret(tmp_path):
    kubectl = tool("kubectl")
    environment = "master"
    folder = tmp_path / "safe" / f"chaos-{environment}"
    folder.mkdir(parents=True)
    items = mounted_items(environment)
    for item in items:
        (folder / item).write_text(f"the content of {item}\n")
    stand_in = tmp_path / "bin"
    stand_in.mkdir()
    (stand_in / "kubectl").write_text(STAND_IN)
    (stand_in / "kubectl").chmod(stat.S_IRWXU)
    script = documented_command().replace(SAFE_PLACE, str(tmp_path / "safe"))
    subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        env={
            "PATH": f"{stand_in}:/usr/bin:/bin",
            "ENV": environment,
            "REAL_KUBECTL": kubectl,
            "RECORDED": str(tmp_path),
            "KUBECONFIG": str(tmp_path / "no-cluster"),
        },
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    secret = yaml.safe_load((tmp_path / "applied").read_text())
    assert secret["kind"] == "Secret" and secret["metadata"]["name"] == SECRET
    assert secret["metadata"]["namespace"] == f"chaos-{environment}"
    assert set(secret["data"]) == items
    calls = (tmp_path / "calls").read_text().splitlines()
    assert calls[0] == "apply -f -"
    assert f"--namespace chaos-{environment} rollout restart deployment/chaos" in calls
