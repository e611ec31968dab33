""".gitlab-ci.yml: valid for GitLab's schema, and the jobs each kind of branch runs follow the matrix
build ✓ everywhere; test on develop, staging and other branches, not master; deploy from staging and
master, by hand only on develop, never from another branch; a `v*` tag re-tags the image and creates
a GitLab Release. The jobs as GitLab will run them (after `extends`) come from gitlab-ci-local."""

import json
import os
import shutil
import subprocess
import sys

import pytest
import yaml

from harness.delivery import CI_FILE, ENVIRONMENTS, REPO, Dockerfile, run, tool

TESTS = {
    "unit-tests": "on_success",
    "integration-tests": "on_success",
    "resilience-tests": "on_success",
    "functional-tests": "on_success",
}
MATRIX = {
    "develop": {"build": "on_success", **TESTS, "deploy-develop": "manual"},
    "staging": {"build": "on_success", **TESTS, "deploy-staging": "on_success"},
    "master": {"build": "on_success", "deploy-master": "on_success"},
    "feature/new-score": {"build": "on_success", **TESTS},
}
STAGES = {
    "retrain": "model",
    "build": "build",
    "unit-tests": "test",
    "integration-tests": "test",
    "resilience-tests": "test",
    "functional-tests": "functional",
    "release": "release",
}
TIERS = {"develop": "development", "staging": "staging", "master": "production"}


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
def gitlab_ci_local(tmp_path_factory):
    """Runs gitlab-ci-local with options and CI variables in a scratch clone of the CI file, so that
    its state folder lands outside the repository; returns its standard output."""
    executable = tool("gitlab-ci-local")
    if shutil.which("git") is None:
        pytest.skip("`git` is not installed")
    scratch = tmp_path_factory.mktemp("gitlab-ci-local")
    shutil.copy(CI_FILE, scratch / ".gitlab-ci.yml")
    subprocess.run(["git", "init", "--quiet", str(scratch)], check=True)

    def gitlab_ci_local(option: str, **variables: str) -> str:
        command = [executable, option, "--ignore-predefined-vars", ",".join(variables)]
        for name, value in variables.items():
            command += ["--variable", f"{name}={value}"]
        return run(*command, cwd=scratch).stdout

    return gitlab_ci_local


@pytest.fixture(scope="module")
def pipeline_for(gitlab_ci_local):
    """The jobs gitlab-ci-local would run (name → when) for given variables."""

    def pipeline(**variables: str) -> dict[str, str]:
        jobs = json.loads(gitlab_ci_local("--list-json", **variables))
        for job in jobs:
            assert job["stage"] == STAGES.get(job["name"], "deploy"), job
        return {job["name"]: job["when"] for job in jobs if job["when"] != "never"}

    return pipeline


@pytest.fixture(scope="module")
def jobs(gitlab_ci_local) -> dict[str, dict]:
    """Every job as GitLab runs it, templates merged in (gitlab-ci-local --preview)."""
    return yaml.safe_load(gitlab_ci_local("--preview", CI_COMMIT_BRANCH="staging", CI_COMMIT_TAG=""))


@pytest.mark.parametrize("branch", MATRIX)
def test_branch_runs_the_jobs_of_the_matrix(pipeline_for, branch):
    assert pipeline_for(CI_COMMIT_BRANCH=branch, CI_COMMIT_TAG="") == MATRIX[branch]


@pytest.mark.parametrize("branch", MATRIX)
def test_a_scheduled_pipeline_only_retrains_the_model(pipeline_for, branch):
    assert pipeline_for(CI_COMMIT_BRANCH=branch, CI_COMMIT_TAG="", CI_PIPELINE_SOURCE="schedule") == {
        "retrain": "on_success"
    }


def test_retraining_publishes_to_the_model_store_and_no_job_carries_a_model():
    """The build downloads no model (pods read the store); retraining publishes to the store with
    the signing key, and a refusal by the gate (exit 3) is not a failed job."""
    config = yaml.safe_load(CI_FILE.read_text())
    build, retrain = " ".join(config["build"]["script"]), " ".join(config["retrain"]["script"])
    assert "model" not in build.lower() and "wget" not in build and "curl" not in build
    assert "chaos retrain --backtest || test $? -eq 3" in retrain
    assert 'install -m 600 "$RETRAIN_SIGNING_KEY" signing.pem' in retrain
    assert "packages/generic" not in CI_FILE.read_text()


def test_version_tag_only_releases_the_built_image(pipeline_for):
    expected = {"release-image": "on_success", "release": "on_success"}
    assert pipeline_for(CI_COMMIT_BRANCH="", CI_COMMIT_TAG="v1.0.0") == expected


def test_the_release_names_the_image_digest(jobs):
    release = jobs["release"]
    assert release["needs"][0]["job"] == "release-image" and release["needs"][0]["artifacts"]
    assert release["release"]["tag_name"] == "$CI_COMMIT_TAG"
    assert "$IMAGE_DIGEST" in release["release"]["description"]
    script = "\n".join(jobs["release-image"]["script"])
    assert "IMAGE_DIGEST=" in script
    assert jobs["release-image"]["artifacts"]["reports"]["dotenv"] == "release.env"


@pytest.mark.parametrize("job", TESTS)
def test_test_jobs_publish_a_junit_report_even_when_failing(jobs, job):
    artifacts = jobs[job]["artifacts"]
    assert artifacts["when"] == "always"
    assert artifacts["reports"]["junit"] == "junit.xml"
    assert '--junitxml="$CI_PROJECT_DIR/junit.xml"' in jobs[job]["script"][-1]


def test_integration_suite_runs_against_a_postgresql_service(jobs):
    job = jobs["integration-tests"]
    (service,) = job["services"]
    assert service["name"].startswith("postgres:") and service["alias"] == "postgres"
    url = job["variables"]["CHAOS_TEST_DATABASE_URL"]
    assert url == "postgresql://{POSTGRES_USER}:{POSTGRES_PASSWORD}@postgres:5432/{POSTGRES_DB}".format(
        **job["variables"]
    )
    assert job["variables"]["SUITE"] == "integration"


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_environments_carry_their_tier_and_url(jobs, environment):
    declared = jobs[f"deploy-{environment}"]["environment"]
    assert declared["deployment_tier"] == TIERS[environment]
    assert declared["url"] == "https://$CHAOS_DOMAIN"  # the environment-scoped CI/CD variable


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_every_deploy_is_smoke_tested_and_links_runbooks_to_the_deployed_commit(jobs, environment):
    job = jobs[f"deploy-{environment}"]
    script = job["script"]
    deploy = 'deployment/deploy.sh "$CI_ENVIRONMENT_NAME" "$IMAGE_DIGEST"'
    assert script[-1] == deploy  # neither --no-smoke nor --dry-run
    assert any("python3" in line for line in script[: script.index(deploy)])  # smoke.py's interpreter
    assert job["variables"]["CHAOS_RUNBOOK_URL"] == (
        "$CI_PROJECT_URL/-/blob/$CI_COMMIT_SHA/deployment/README.md"
    )


def test_the_fast_resilience_tests_run_in_the_image(jobs):
    """pytest reads the job's PYTEST_ADDOPTS as the job gives it: every test but the slow ones."""
    variables = jobs["resilience-tests"]["variables"]
    assert variables["SUITE"] == "resilience"
    assert "schemathesis" in variables["TEST_TOOLS"].split("|")

    def collected(**environment: str) -> set[str]:
        command = [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"]
        listing = subprocess.run(
            [*command, "tests/resilience"],
            cwd=REPO,
            env={**os.environ, **environment},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert listing.returncode == 0, listing.stdout + listing.stderr
        return {line for line in listing.stdout.splitlines() if "::" in line}

    fast, slow = collected(PYTEST_ADDOPTS=variables["PYTEST_ADDOPTS"]), collected(PYTEST_ADDOPTS="-m slow")
    assert fast and slow and fast.isdisjoint(slow) and fast | slow == collected()


def test_the_functional_job_serves_the_image_with_its_own_command_beside_postgresql(jobs):
    job = jobs["functional-tests"]
    services = {service["alias"]: service for service in job["services"]}
    assert services["postgres"]["name"].startswith("postgres:")
    app = services["chaos"]
    assert app["name"] == "$IMAGE" and app["command"] == Dockerfile().cmd
    # The entrypoint only waits for the configuration the job writes, then runs the command.
    assert app["entrypoint"][-2:] == [
        'until [ -f "$CHAOS_CONFIGURATION_PATH" ]; do sleep 1; done; exec "$@"',
        "--",
    ]
    variables = job["variables"]
    assert variables["FF_NETWORK_PER_BUILD"] == "true"  # the service reaches the postgres service
    assert variables["CHAOS_CONFIGURATION_PATH"].startswith("$CI_PROJECT_DIR/")  # shared with services
    (port,) = Dockerfile().values("EXPOSE")
    assert variables["CHAOS_E2E_URL"] == f"http://chaos:{port}"
    assert variables["CHAOS_E2E_DATABASE_ADMIN_URL"] == (
        "postgresql://{POSTGRES_USER}:{POSTGRES_PASSWORD}@postgres:5432/{POSTGRES_DB}".format(**variables)
    )
    assert variables["SUITE"] == "e2e" and job["stage"] == "functional"


def test_the_functional_job_prepares_the_database_before_the_service_starts(jobs):
    script = jobs["functional-tests"]["script"]
    position = {
        step: next(i for i, line in enumerate(script) if marker in line)
        for step, marker in {
            "key": "chaos keys new",
            "upgrade": "chaos db upgrade",
            "seed": "chaos db seed-demo",
            "service starts": 'mv functional/config.yml.new "$CHAOS_CONFIGURATION_PATH"',
            "ready": '"$CHAOS_E2E_URL/ready"',
            "suite": "--junitxml",
        }.items()
    }
    assert list(position) == sorted(position, key=position.get)


def test_every_job_after_build_uses_the_image_of_this_commit():
    config = yaml.safe_load(CI_FILE.read_text())
    assert config["variables"]["IMAGE"] == "$IMAGE_REPOSITORY:$CI_COMMIT_SHORT_SHA"
    assert config[".tests-in-image"]["image"] == "$IMAGE"
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
