"""checkov, the policy scanner, on what is deployed: the manifests deploy.sh applies for each
environment (the image pinned by digest), the Dockerfile and .gitlab-ci.yml, in one offline run. No
check fails, and every check skipped says why in the file itself."""

import json
import shutil

import pytest

from harness.delivery import ENVIRONMENTS, REPO, pinned_text, run, tool

CHECKOV_VENV = REPO / ".venv" / "checkov" / "bin" / "checkov"


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, dict]:
    """checkov's report per framework (kubernetes, dockerfile, gitlab_ci)."""
    checkov = str(CHECKOV_VENV) if CHECKOV_VENV.is_file() else shutil.which("checkov")
    if checkov is None:
        pytest.skip("checkov is not installed (`make install` puts it in .venv/checkov)")
    tool("kubectl")
    folder = tmp_path_factory.mktemp("checkov")
    files = [REPO / "Dockerfile", REPO / ".gitlab-ci.yml"]
    for environment in ENVIRONMENTS:
        files.append(folder / f"{environment}.yaml")
        files[-1].write_text(pinned_text(environment))
    command = [checkov, "--skip-download", "--compact", "--output", "json"]
    for file in files:
        command += ["--file", str(file)]
    return {report["check_type"]: report for report in json.loads(run(*command).stdout)}


@pytest.mark.parametrize("framework", ["kubernetes", "dockerfile", "gitlab_ci"])
def test_checkov_passes_and_every_skip_has_a_reason(reports, framework):
    report = reports[framework]
    results = report["results"]
    failed = [
        (c["check_id"], c["file_path"], c["resource"], c["check_name"]) for c in results["failed_checks"]
    ]
    assert failed == []
    for skipped in results.get("skipped_checks", []):
        reason = skipped["check_result"].get("suppress_comment", "").strip()
        assert reason and reason != "No comment provided", f"{skipped['check_id']} skipped without a reason"
    assert report["summary"]["passed"] > 0 and report["summary"]["parsing_errors"] == 0


def test_checkov_scanned_every_environment(reports):
    scanned = {
        check["file_path"].rsplit("/", 1)[-1] for check in reports["kubernetes"]["results"]["passed_checks"]
    }
    assert scanned == {f"{environment}.yaml" for environment in ENVIRONMENTS}
