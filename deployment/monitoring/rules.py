"""The alert rules as the object GKE Managed Service for Prometheus evaluates: `python
deployment/monitoring/rules.py` rewrites deployment/base/rules.yaml from alerts.yml (a test fails
when the two differ), so the rules applied with every deployment are the ones promtool tests.

A `Rules` object is namespaced: each environment evaluates its own copy over its namespace's series.
Its runbook links stay relative to the repository here; deployment/deploy.sh makes them absolute.
"""

import sys
from pathlib import Path

import yaml

ALERTS = Path(__file__).with_name("alerts.yml")
OUTPUT = Path(__file__).resolve().parents[1] / "base" / "rules.yaml"
HEADER = "# Generated from deployment/monitoring/alerts.yml by deployment/monitoring/rules.py: do not edit.\n"


def build() -> dict:
    groups = yaml.safe_load(ALERTS.read_text())["groups"]
    return {
        "apiVersion": "monitoring.googleapis.com/v1",
        "kind": "Rules",
        "metadata": {"name": "chaos"},
        "spec": {"groups": groups},
    }


def render() -> str:
    return HEADER + yaml.safe_dump(build(), sort_keys=False, allow_unicode=True, width=1000)


if __name__ == "__main__":
    OUTPUT.write_text(render())
    sys.stdout.write(f"wrote {OUTPUT}\n")
