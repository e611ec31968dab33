"""The operator a record names: the environment first, then git's identity, then the cloud principal."""

import shutil
import subprocess

import pytest

from chaos.infrastructure import operator as operators


def test_the_environment_comes_first(monkeypatch):
    monkeypatch.setattr(operators, "_git", lambda key: "git@example.com")
    assert operators.operator({"CHAOS_OPERATOR": "ana", "GITLAB_USER_LOGIN": "ci"}) == "ana"
    assert operators.operator({"GITLAB_USER_LOGIN": "ci"}) == "ci"


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed (the image has none)")
def test_then_the_git_identity_of_the_working_directory(tmp_path, monkeypatch):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run(["git", "-C", str(tmp_path), "config", "user.email", "bob@bank.example"], check=True)
    monkeypatch.chdir(tmp_path)
    assert operators.operator({"CLOUDSDK_CORE_ACCOUNT": "sa@project.iam"}) == "bob@bank.example"


def test_then_the_cloud_principal_of_gcloud_s_active_configuration(tmp_path, monkeypatch):
    monkeypatch.setattr(operators, "_git", lambda key: None)
    assert operators.operator({"CLOUDSDK_CORE_ACCOUNT": "sa@project.iam"}) == "sa@project.iam"
    (tmp_path / "configurations").mkdir()
    (tmp_path / "active_config").write_text("work\n")
    (tmp_path / "configurations" / "config_work").write_text("[core]\naccount = eve@bank.example\n")
    assert operators.operator({"CLOUDSDK_CONFIG": str(tmp_path)}) == "eve@bank.example"


def test_else_the_login_name(tmp_path, monkeypatch):
    monkeypatch.setattr(operators, "_git", lambda key: None)
    monkeypatch.setattr(operators, "_login", lambda: "chaos")
    assert operators.operator({"CLOUDSDK_CONFIG": str(tmp_path)}) == "chaos"
