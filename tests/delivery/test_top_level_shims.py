"""setup.py and requirements.txt, for the tools and habits that look for them, stay thin: the version
comes from pyproject.toml's source, and requirements.txt installs exactly the lock."""

import subprocess
import sys

import pytest
from packaging.utils import canonicalize_name

import chaos
from harness.delivery import REPO
from tests.delivery.test_installs import locked
from tests.support.installs import check, clean_environment


def test_setup_py_reports_the_version_of_the_package():
    result = subprocess.run(
        [sys.executable, "setup.py", "--version"], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == chaos.__version__


@pytest.mark.slow
def test_requirements_txt_installs_the_serving_dependencies_at_their_locked_versions(tmp_path):
    venv = tmp_path / "venv"
    check(sys.executable, "-m", "venv", str(venv), cwd=tmp_path)
    pip = str(venv / "bin" / "pip")
    check(pip, "install", "--quiet", "-r", str(REPO / "requirements.txt"), cwd=tmp_path)
    frozen = check(pip, "freeze", "--all", cwd=tmp_path, env=clean_environment())
    installed = {
        canonicalize_name(name): version
        for name, _, version in (line.partition("==") for line in frozen.splitlines())
        if version
    }
    assert {name: installed.get(name) for name in locked()} == locked()
    assert "flask" in installed and "chaos" not in installed  # the dependencies, not the package
