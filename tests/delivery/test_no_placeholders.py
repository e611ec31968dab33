"""No placeholder domain ships: every domain, environment URL and runbook link comes from the
environment's CI/CD variables (deployment/deploy.sh, .gitlab-ci.yml), never from example.com."""

from harness.delivery import DEPLOYMENT, REPO

PLACEHOLDER = "example.com"


def test_no_example_domain_in_the_deployment_or_the_pipeline():
    files = [REPO / ".gitlab-ci.yml", *(path for path in DEPLOYMENT.rglob("*") if path.is_file())]
    assert len(files) > 20
    found = [
        f"{path.relative_to(REPO)}:{number}"
        for path in files
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), start=1)
        if PLACEHOLDER in line
    ]
    assert found == []
