""".gitlab-ci.yml: valid for GitLab's schema, and the jobs each kind of branch runs follow the matrix
build ✓ everywhere; test on develop, staging and other branches, not master; deploy from staging and
master, by hand only on develop, never from another branch; a `v*` tag only re-tags the release."""

import json
import shutil
import subprocess

import pytest
import yaml

from tests.delivery.tools import ENVIRONMENTS, REPO, run, tool

CI_FILE = REPO / ".gitlab-ci.yml"
MATRIX = {
    "develop": {"build": "on_success", "unit-tests": "on_success", "deploy-develop": "manual"},
    "staging": {"build": "on_success", "unit-tests": "on_success", "deploy-staging": "on_success"},
    "master": {"build": "on_success", "deploy-master": "on_success"},
    "feature/new-score": {"build": "on_success", "unit-tests": "on_success"},
}
STAGES = {"retrain": "model", "build": "build", "unit-tests": "test", "release": "deploy"}


def test_matches_gitlab_ci_schema():
    run(
        tool("check-jsonschema"),
        "--builtin-schema",
        "vendor.gitlab-ci",
        "--data-transform",
        "gitlab-ci",
        str(CI_FILE),
    )


@pytest.fixture(scope="module")
def pipeline_for(tmp_path_factory):
    """The jobs gitlab-ci-local would run (name → when) for given variables, from a scratch clone of
    the CI file so that its state folder lands outside the repository."""
    executable = tool("gitlab-ci-local")
    if shutil.which("git") is None:
        pytest.skip("`git` is not installed")
    scratch = tmp_path_factory.mktemp("gitlab-ci-local")
    shutil.copy(CI_FILE, scratch / ".gitlab-ci.yml")
    subprocess.run(["git", "init", "--quiet", str(scratch)], check=True)

    def pipeline(**variables: str) -> dict[str, str]:
        command = [executable, "--list-json", "--ignore-predefined-vars", ",".join(variables)]
        for name, value in variables.items():
            command += ["--variable", f"{name}={value}"]
        jobs = json.loads(run(*command, cwd=scratch).stdout)
        for job in jobs:
            assert job["stage"] == STAGES.get(job["name"], "deploy"), job
        return {job["name"]: job["when"] for job in jobs if job["when"] != "never"}

    return pipeline


@pytest.mark.parametrize("branch", MATRIX)
def test_branch_runs_the_jobs_of_the_matrix(pipeline_for, branch):
    assert pipeline_for(CI_COMMIT_BRANCH=branch, CI_COMMIT_TAG="") == MATRIX[branch]


@pytest.mark.parametrize("branch", MATRIX)
def test_a_scheduled_pipeline_only_retrains_the_model(pipeline_for, branch):
    assert pipeline_for(CI_COMMIT_BRANCH=branch, CI_COMMIT_TAG="", CI_PIPELINE_SOURCE="schedule") == {
        "retrain": "on_success"
    }


def test_retraining_publishes_a_new_champion_where_the_build_fetches_models():
    """The package the build downloads is the one retraining uploads; a refusal by the gate (exit 3)
    is not a failed job, and a new champion reaches staging through a triggered pipeline."""
    config = yaml.safe_load(CI_FILE.read_text())
    build, retrain = " ".join(config["build"]["script"]), " ".join(config["retrain"]["script"])
    assert '"$MODEL_PACKAGE_URL/$MODEL_VERSION/models.tar.gz"' in build
    assert '"$MODEL_PACKAGE_URL/$NEW_VERSION/models.tar.gz"' in retrain
    assert "chaos retrain --backtest --publish-dir published || test $? -eq 3" in retrain
    assert "variables[MODEL_VERSION]=$NEW_VERSION" in retrain and "ref=staging" in retrain


def test_version_tag_only_releases_the_built_image(pipeline_for):
    assert pipeline_for(CI_COMMIT_BRANCH="", CI_COMMIT_TAG="v1.2.0") == {"release": "on_success"}


def test_every_job_after_build_uses_the_image_of_this_commit():
    config = yaml.safe_load(CI_FILE.read_text())
    assert config["variables"]["IMAGE"] == "$IMAGE_REPOSITORY:$CI_COMMIT_SHORT_SHA"
    assert config["unit-tests"]["image"] == "$IMAGE"
    # The deploy jobs get the digest the build job pushed (its dotenv report), and deploy by it.
    build, deploy = config["build"], config[".deploy"]
    assert build["artifacts"]["reports"]["dotenv"] == "image.env"
    (digest_line,) = [line for line in build["script"] if "IMAGE_DIGEST=" in line]
    assert digest_line.endswith("> image.env") and "RepoDigests" in digest_line and '"$IMAGE"' in digest_line
    assert build["script"].index(digest_line) > build["script"].index('docker push "$IMAGE"')
    assert deploy["dependencies"] == ["build"]
    assert 'deployment/deploy.sh "$CI_ENVIRONMENT_NAME" "$IMAGE_DIGEST"' in deploy["script"]
    for environment in ENVIRONMENTS:
        job = config[f"deploy-{environment}"]
        assert (job["extends"], job["environment"]["name"]) == (".deploy", environment)
