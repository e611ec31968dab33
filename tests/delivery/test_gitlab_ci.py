""".gitlab-ci.yml: valid for GitLab's schema, and the jobs each kind of branch runs follow the matrix:
build, lint, test and `tested` on develop, staging and other branches, never on master; deploy from
staging and master, by hand only on develop, never from another branch; master and `v*` tags build
nothing and use the digests tested for their commit; a schedule runs nothing (scheduled work runs as
CronJobs). The jobs as GitLab will run them (after `extends`) come from gitlab-ci-local; running them
is tests/delivery/test_pipeline.py's part."""

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
BRANCH = {"build": "on_success", "lint": "on_success", **TESTS, "tested": "on_success"}
MATRIX = {
    "develop": {**BRANCH, "deploy-develop": "manual"},
    "staging": {**BRANCH, "deploy-staging": "on_success"},
    "master": {"tested-image": "on_success", "deploy-master": "on_success"},
    "feature/new-score": BRANCH,
}
STAGES = {
    "build": "build",
    "tested-image": "build",
    "lint": "test",
    "tested": "tested",
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


def test_a_scheduled_pipeline_runs_nothing():
    """Calibration, monitoring and retraining are CronJobs of each environment (deployment/): the
    workflow's first rule drops a scheduled pipeline (gitlab-ci-local's listing ignores workflow)."""
    first = yaml.safe_load(CI_FILE.read_text())["workflow"]["rules"][0]
    assert first == {"if": '$CI_PIPELINE_SOURCE == "schedule"', "when": "never"}


def test_the_build_carries_no_model_and_builds_the_serving_and_retraining_images():
    """The build downloads no model (pods read the store); it builds the default target (serving)
    and `train` (the retrain CronJob's image), and master builds nothing."""
    config = yaml.safe_load(CI_FILE.read_text())
    build = config["build"]["script"]
    assert "model" not in " ".join(build).lower() and "wget" not in " ".join(build)
    assert 'docker build --pull --tag "$IMAGE" --tag "$IMAGE_REPOSITORY:$CI_COMMIT_REF_SLUG" .' in build
    assert 'docker build --target train --tag "$TRAIN_IMAGE" .' in build
    assert config["variables"]["TRAIN_IMAGE"] == "$IMAGE_REPOSITORY/train:$CI_COMMIT_SHORT_SHA"
    assert "packages/generic" not in CI_FILE.read_text()
    assert not any(
        "docker build" in line for job in ("tested-image", "release-image") for line in _script(job)
    )


def _script(job: str) -> list[str]:
    """A job's script, or the one of the template it extends."""
    config = yaml.safe_load(CI_FILE.read_text())
    definition = config[job]
    while "script" not in definition:
        definition = config[definition["extends"]]
    return definition["script"]


def test_version_tag_only_releases_the_built_image(pipeline_for):
    expected = {"release-image": "on_success", "release": "on_success"}
    assert pipeline_for(CI_COMMIT_BRANCH="", CI_COMMIT_TAG="v1.0.0") == expected


def test_the_release_names_the_tested_digests(jobs):
    release = jobs["release"]
    assert release["needs"][0]["job"] == "release-image" and release["needs"][0]["artifacts"]
    (create,) = release["script"]
    assert create.startswith("release-cli create") and '--tag-name "$CI_COMMIT_TAG"' in create
    assert "$IMAGE_DIGEST" in create and "$TRAIN_IMAGE_DIGEST" in create
    assert jobs["release-image"]["artifacts"]["reports"]["dotenv"] == "image.env"


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
    assert (
        url
        == "postgresql://{POSTGRES_USER}:{POSTGRES_PASSWORD}@$POSTGRES_HOST:$POSTGRES_PORT/{POSTGRES_DB}".format(
            **job["variables"]
        )
    )
    assert (job["variables"]["POSTGRES_HOST"], job["variables"]["POSTGRES_PORT"]) == ("postgres", "5432")
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
    # the training image of the same commit, by digest; neither --no-smoke nor --dry-run
    deploy = 'TRAIN_IMAGE="$TRAIN_IMAGE_DIGEST" deployment/deploy.sh "$CI_ENVIRONMENT_NAME" "$IMAGE_DIGEST"'
    assert script[-1] == deploy
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


def test_the_functional_job_serves_the_image_from_a_bucket_beside_postgresql(jobs):
    """Its services share no folder with the job: the model and the service's configuration reach
    the image through the bucket of the Cloud Storage emulator."""
    job = jobs["functional-tests"]
    services = {service["alias"]: service for service in job["services"]}
    assert services["postgres"]["name"].startswith("postgres:")
    assert services["gcs"]["name"].startswith("oittaa/gcp-storage-emulator:")
    assert f"--default-bucket={job['variables']['MODEL_BUCKET']}" in services["gcs"]["command"]
    app = services["chaos"]
    assert app["name"] == "$IMAGE" and app["command"] == Dockerfile().cmd
    assert app["entrypoint"][-2:] == ['python -c "$FETCH_SERVICE_CONFIGURATION" && exec "$@"', "--"]
    variables = job["variables"]
    assert variables["STORAGE_EMULATOR_HOST"] == "http://gcs:9023"
    assert not variables["CHAOS_CONFIGURATION_PATH"].startswith("$CI_PROJECT_DIR")
    (port,) = Dockerfile().values("EXPOSE")
    assert variables["CHAOS_E2E_URL"] == f"http://chaos:{port}"
    assert variables["SUITE"] == "e2e" and job["stage"] == "functional"


def test_the_functional_job_publishes_a_model_before_the_service_starts(jobs):
    script = jobs["functional-tests"]["script"]
    position = {
        step: next(i for i, line in enumerate(script) if marker in line)
        for step, marker in {
            "key": "chaos keys new",
            "signing key": "chaos models keygen",
            "upgrade": "chaos db upgrade",
            "seed": "chaos db seed-demo",
            "retrain (gated, signed, published)": "chaos retrain",
            "service configuration": 'blob("service/config.yml").upload_from_filename',
            "ready": '"$CHAOS_E2E_URL/ready"',
            "suite": "--junitxml",
        }.items()
    }
    assert list(position) == sorted(position, key=position.get)


def test_every_job_after_build_uses_the_image_of_this_commit():
    config = yaml.safe_load(CI_FILE.read_text())
    assert config["variables"]["IMAGE"] == "$IMAGE_REPOSITORY:$CI_COMMIT_SHORT_SHA"
    assert config[".tests-in-image"]["image"] == "$IMAGE"
    # The deploy jobs get the digest the build job pushed (its dotenv report), or on master the one
    # tested for the commit, and deploy by it.
    build, deploy = config["build"], config[".deploy"]
    assert build["artifacts"]["reports"]["dotenv"] == "image.env"
    (digest_line,) = [line for line in build["script"] if "IMAGE_DIGEST=" in line and "TRAIN" not in line]
    assert digest_line.endswith("> image.env") and "RepoDigests" in digest_line and '"$IMAGE"' in digest_line
    assert build["script"].index(digest_line) > build["script"].index('docker push "$IMAGE"')
    assert deploy["dependencies"] == ["build"] and config["deploy-master"]["dependencies"] == ["tested-image"]
    assert (
        'TRAIN_IMAGE="$TRAIN_IMAGE_DIGEST" deployment/deploy.sh "$CI_ENVIRONMENT_NAME" "$IMAGE_DIGEST"'
        in deploy["script"]
    )
    for environment in ENVIRONMENTS:
        job = config[f"deploy-{environment}"]
        assert (job["extends"], job["environment"]["name"]) == (".deploy", environment)


def test_only_a_commit_whose_tests_passed_is_marked_tested():
    """`tested` runs after every test stage and names the built digests; master and releases pull
    that mark or fail."""
    config = yaml.safe_load(CI_FILE.read_text())
    stages = config["stages"]
    assert stages.index("tested") > max(stages.index("test"), stages.index("functional"))
    assert stages.index("tested") < stages.index("deploy")
    assert config["variables"]["TESTED_IMAGE"] == "$IMAGE_REPOSITORY:tested-$CI_COMMIT_SHA"
    assert 'docker tag "$IMAGE_DIGEST" "$TESTED_IMAGE"' in config["tested"]["script"]
    assert any("was never tested" in line for line in _script("tested-image"))
