"""deployment/monitoring/: the alert rules pass promtool's checks and their own unit tests (each alert
seen firing and silent), every alert links to a runbook section that exists, every overlay applies
those very rules as a Managed Prometheus `Rules` object, and dashboard.json is exactly what
dashboard.py generates."""

import importlib.util
import json
import re

import pytest
import yaml

from harness.delivery import DEPLOYMENT, ENVIRONMENTS, rendered, run, tool

MONITORING = DEPLOYMENT / "monitoring"
RULES = MONITORING / "alerts.yml"
RULE_TESTS = (MONITORING / "alerts_test.yml", MONITORING / "alerts_daily_test.yml")
"""Minute by minute, and hour by hour for the alerts whose windows span days."""


def alerts() -> dict[str, dict]:
    groups = yaml.safe_load(RULES.read_text())["groups"]
    return {rule["alert"]: rule for group in groups for rule in group["rules"] if "alert" in rule}


def generator(name: str):
    spec = importlib.util.spec_from_file_location(f"chaos_{name}", MONITORING / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_rules_pass_promtool_check_and_unit_tests():
    promtool = tool("promtool")
    run(promtool, "check", "rules", str(RULES))
    result = run(promtool, "test", "rules", *(path.name for path in RULE_TESTS), cwd=MONITORING)
    assert "SUCCESS" in result.stdout


def test_every_alert_is_tested_firing_and_silent():
    cases = [
        case
        for path in RULE_TESTS
        for test in yaml.safe_load(path.read_text())["tests"]
        for case in test["alert_rule_test"]
    ]
    for name in alerts():
        outcomes = [bool(case["exp_alerts"]) for case in cases if case["alertname"] == name]
        assert True in outcomes, f"{name} is never tested firing"
        assert False in outcomes, f"{name} is never tested silent"


def test_every_alert_links_to_its_runbook_section():
    headings = re.findall(r"^#+ (.+)$", (DEPLOYMENT / "README.md").read_text(), flags=re.MULTILINE)
    anchors = {re.sub(r"[^a-z0-9 -]", "", heading.lower()).replace(" ", "-") for heading in headings}
    for name, rule in alerts().items():
        page, _, anchor = rule["annotations"]["runbook_url"].partition("#")
        assert page == "deployment/README.md", name  # deploy.sh prefixes the repository's address
        assert anchor in anchors, f"{name}: no section #{anchor} in deployment/README.md"
        assert rule["labels"]["severity"] in ("page", "ticket"), name


def test_the_rules_object_is_what_rules_py_generates_from_alerts_yml():
    assert (DEPLOYMENT / "base" / "rules.yaml").read_text() == generator("rules").render(), (
        "run `python deployment/monitoring/rules.py` and commit deployment/base/rules.yaml"
    )


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_every_overlay_applies_the_tested_rules(environment):
    """The rendered Rules are alerts.yml's groups, but for an alert that selects another environment's
    namespace by name: a namespaced Rules object would never see that namespace's series."""
    tool("kubectl")
    tested = yaml.safe_load(RULES.read_text())["groups"]
    expected = [
        {**group, "rules": [rule for rule in group["rules"] if _watches(rule, environment)]}
        for group in tested
    ]
    assert rendered(environment)["Rules"]["spec"]["groups"] == expected
    assert rendered(environment)["Rules"]["metadata"]["namespace"] == f"chaos-{environment}"


def _watches(rule: dict, environment: str) -> bool:
    named = set(re.findall(r'namespace="chaos-(\w+)"', rule["expr"]))
    return named <= {environment}


def test_dashboard_json_is_what_dashboard_py_generates():
    module = generator("dashboard")
    assert (MONITORING / "dashboard.json").read_text() == module.render(), (
        "run `python deployment/monitoring/dashboard.py` and commit dashboard.json"
    )


def test_every_dashboard_query_selects_one_environment():
    document = json.loads((MONITORING / "dashboard.json").read_text())
    targets = [target for panel in document["panels"] for target in panel.get("targets", [])]
    assert len(targets) >= 15
    for target in targets:
        assert 'namespace="$namespace"' in target["expr"], target["expr"]
