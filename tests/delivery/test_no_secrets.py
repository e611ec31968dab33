"""No secret in the repository: detect-secrets finds nothing beyond the committed baseline, whose
entries are all audited false positives (refresh: `detect-secrets scan --baseline .secrets.baseline`,
then `detect-secrets audit .secrets.baseline`)."""

import json
import shutil

import pytest

from harness.delivery import REPO, run, tool

BASELINE = REPO / ".secrets.baseline"


def test_no_secret_beyond_the_audited_baseline():
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("not a git checkout: the files to scan are the repository's")
    listed = run("git", "ls-files", "--cached", "--others", "--exclude-standard").stdout.splitlines()
    files = [name for name in listed if (REPO / name).is_file() and REPO / name != BASELINE]
    found = json.loads(run(tool("detect-secrets"), "scan", *files).stdout)["results"]
    known = _secrets(json.loads(BASELINE.read_text())["results"])
    new = {(path, kind, line) for path, kind, line, hashed in _located(found) if (path, hashed) not in known}
    assert new == set(), "possible secrets; remove them, or audit and add them to .secrets.baseline"


def _located(results: dict) -> list[tuple[str, str, int, str]]:
    return [
        (path, finding["type"], finding["line_number"], finding["hashed_secret"])
        for path, findings in results.items()
        for finding in findings
    ]


def _secrets(results: dict) -> set[tuple[str, str]]:
    """(file, hashed secret): what the baseline accepts, wherever the line moves to."""
    return {(path, hashed) for path, _, _, hashed in _located(results)}


def test_baseline_holds_only_audited_false_positives():
    results = json.loads(BASELINE.read_text())["results"]
    unaudited = [
        f"{path}:{finding['line_number']}"
        for path, findings in results.items()
        for finding in findings
        if finding.get("is_secret") is not False
    ]
    assert unaudited == []
