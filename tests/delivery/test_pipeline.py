"""The pipeline, run: every job of .gitlab-ci.yml a runner would run for a commit on a branch (the
test jobs, lint, build, tested, the staging and develop deploys), then on master, then for a `v*` tag,
each with its own script (tests/delivery/pipeline.py says how), stage by stage, stopping at the first
failed stage as GitLab does. The branch pipelines share their jobs (staging's are feature's plus its
deploy, develop's plus a manual one), so the branch jobs run once, as staging, and develop's deploy
after them. Then the digests: built once, tested, deployed to staging, promoted to master and named
by the release without a rebuild; a commit never tested is refused on master.

Services are local processes, as the jobs declare them: PostgreSQL (the embedded server), the Cloud
Storage emulator started with the service's own command, and the serving image's command for
`chaos`. The cluster of a deploy is a recording kubectl, and the environment's URL an HTTPS chaos
from the image serving what the functional job published.
"""

import contextlib
import json
import os
import subprocess
import time
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
import yaml

from chaos.infrastructure.api_keys import key_hash, new_key
from chaos.infrastructure.config.settings import DatabaseSettings
from chaos.infrastructure.db.embedded import SUPERUSER, EmbeddedPostgres
from chaos.infrastructure.db.engine import create_engine
from harness.delivery import Dockerfile, tool
from harness.network import free_port
from harness.pod.certificate import self_signed
from harness.server import ServerProcess
from tests.delivery.pipeline import JobRun, Pipeline, expand
from tests.support.summaries import add_summary

BRANCH_JOBS = [
    "build",
    "lint",
    "unit-tests",
    "integration-tests",
    "resilience-tests",
    "functional-tests",
    "tested",
]
EXPECTED = {
    "feature/new-score": BRANCH_JOBS,
    "develop": [*BRANCH_JOBS, "deploy-develop"],
    "staging": [*BRANCH_JOBS, "deploy-staging"],
    "master": ["tested-image", "deploy-master"],
    "v1.0.0": ["release-image", "release"],
}
TEST_JOBS = ["unit-tests", "integration-tests", "resilience-tests", "functional-tests"]
SUITE_MINIMUM = {"unit-tests": 500, "integration-tests": 50, "resilience-tests": 10, "functional-tests": 10}
"""At least this many tests ran in each job: a job that collects nothing is no pass."""


def pipeline_variables(name: str, **more: str) -> dict[str, str]:
    """The predefined variables of a pipeline for a branch, or for a tag (a `v` name)."""
    if name.startswith("v"):
        return {"CI_COMMIT_BRANCH": "", "CI_COMMIT_TAG": name, **more}
    return {
        "CI_COMMIT_BRANCH": name,
        "CI_COMMIT_TAG": "",
        "CI_COMMIT_REF_SLUG": name.replace("/", "-"),
        **more,
    }


def image_of(job: dict) -> str:
    image = job.get("image", "")
    return image["name"] if isinstance(image, dict) else image


@dataclass
class Services:
    """The services of one job, as local processes; `variables` point the job at them."""

    variables: dict[str, str] = field(default_factory=dict)
    stack: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)
    logs: list[Path] = field(default_factory=list)


class Runner:
    def __init__(self, pipeline: Pipeline, root: Path, emulator: str):
        self.pipeline, self.root, self.emulator = pipeline, root, emulator
        self.smoke_key = new_key()
        self.results: dict[str, dict[str, JobRun | None]] = {}
        self.summary: list[str] = []
        """Each pipeline's job list, then each job's verdict and time, in the order they ran."""
        self.environments: dict[str, str] = {}
        self.cluster: ServerProcess | None = None
        self.canary: ServerProcess | None = None
        """The canary pod deploy.sh smoke-tests through `kubectl port-forward`: gunicorn's plain port."""
        self.kept = contextlib.ExitStack()
        """The functional job's services, kept for the environments the deploys smoke-test."""

    def preview(self, kind: str, variables: dict[str, str]) -> dict[str, dict]:
        output = subprocess.run(
            self.pipeline._command("--preview", kind, variables),
            cwd=self.pipeline.checkout,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return yaml.safe_load(output)

    def run_pipeline(self, kind: str, variables: dict[str, str], only: list[str] | None = None) -> None:
        jobs = self.pipeline.jobs(kind, variables)
        self.summary.append(
            f"{kind}: " + ", ".join(f"{job['name']} ({job['stage']}, {job['when']})" for job in jobs)
        )
        defined = self.preview(kind, variables)
        results: dict[str, JobRun | None] = self.results.setdefault(kind, {})
        failed_stage = None
        for job in jobs:
            name = job["name"]
            if only is not None and name not in only:
                continue
            if failed_stage is not None and job["stage"] != failed_stage:
                results[name] = None  # GitLab runs no later stage
                continue
            started = time.monotonic()
            with self.services(name, defined[name], variables) as services:
                run = self.pipeline.run(
                    kind,
                    name,
                    image_of(defined[name]),
                    {**variables, **services.variables},
                    self.job_env(name),
                )
                if run.returncode:
                    for log in services.logs:
                        run.output += f"\n--- {log.name}\n{log.read_text()[-4000:]}"
            verdict = "passed" if run.returncode == 0 else "FAILED"
            self.summary.append(f"  {name}: {verdict} in {time.monotonic() - started:.0f} s")
            results[name] = run
            if run.returncode:
                failed_stage = job["stage"]

    def job_env(self, name: str) -> dict[str, str]:
        """The deploy job trusts the environment's certificate, as a runner trusts a public one."""
        return {"SSL_CERT_FILE": str(self.root / "tls.crt")} if name.startswith("deploy-") else {}

    @contextlib.contextmanager
    def services(self, name: str, job: dict, variables: dict[str, str]) -> Iterator[Services]:
        declared = {service.get("alias", ""): service for service in self.declared_services(name)}
        services = Services()
        with services.stack:
            if "postgres" in declared:
                port = self.postgres(services, job["variables"], name)
                services.variables |= {"POSTGRES_HOST": "127.0.0.1", "POSTGRES_PORT": str(port)}
            if "gcs" in declared:
                gcs = self.storage_emulator(services, declared["gcs"]["command"], name)
                services.variables["STORAGE_EMULATOR_HOST"] = gcs
            if "chaos" in declared:
                url = self.chaos(services, declared["chaos"], job, variables, name)
                services.variables["CHAOS_E2E_URL"] = url
            if name.startswith("deploy-"):
                services.variables |= {
                    "CHAOS_DOMAIN": self.environments["domain"],
                    "CHAOS_SMOKE_KEY": self.smoke_key,
                    "KUBE_CONTEXT": f"context-of-{name}",
                    "ALERT_PAGE_URL": "https://pager.test/alertmanager/chaos",
                    "ALERT_TICKET_URL": "https://tickets.test/alertmanager/chaos",
                    "STANDIN_CANARY_PORT": self.environments["canary-port"],
                }
            yield services
            if name == "functional-tests":
                self.kept.enter_context(services.stack.pop_all())

    def declared_services(self, name: str) -> list[dict]:
        """The job's services as .gitlab-ci.yml declares them (after `extends`)."""
        preview = yaml.safe_load(
            subprocess.run(
                [
                    self.pipeline.executable,
                    "--preview",
                    "--file",
                    ".gitlab-ci.yml",
                    "--state-dir",
                    ".preview",
                ],
                cwd=self.pipeline.checkout,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        return [s if isinstance(s, dict) else {"name": s} for s in preview[name].get("services", [])]

    def postgres(self, services: Services, variables: dict[str, str], name: str) -> int:
        settings = DatabaseSettings(
            data_dir=self.root / f"pgdata-{name}",
            port=free_port(),
            name=variables["POSTGRES_DB"],
            user=variables["POSTGRES_USER"],
        )
        server = EmbeddedPostgres(settings)
        server.start()
        services.stack.callback(server.stop)
        # The postgres image makes POSTGRES_USER a superuser; the embedded server makes it the owner.
        administrator = create_engine(settings.model_copy(update={"user": SUPERUSER}))
        with administrator.begin() as connection:
            connection.exec_driver_sql(f'ALTER ROLE "{settings.user}" SUPERUSER')
        administrator.dispose()
        return settings.port

    def storage_emulator(self, services: Services, command: list[str], name: str) -> str:
        port = free_port()
        moved = [
            "--host=127.0.0.1"
            if a.startswith("--host=")
            else f"--port={port}"
            if a.startswith("--port=")
            else a
            for a in command
        ]
        log = self.root / f"gcs-{name}.log"
        server = ServerProcess(
            [self.emulator, *moved], os.environ, self.root, f"http://127.0.0.1:{port}", log
        )
        services.logs.append(log)
        services.stack.callback(server.stop)
        server.launch()
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(requests.ConnectionError):
                requests.get(f"{server.url}/storage/v1/b", timeout=2)
                break
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        return server.url

    def chaos(
        self, services: Services, declared: dict, job: dict, variables: dict[str, str], name: str
    ) -> str:
        """The serving image as the job's service: its entrypoint and command, the job's variables."""
        port = free_port()
        state = self.root / f"service-{name}"
        services.variables["SERVICE_STATE_DIR"] = str(state)
        given = expand({**job["variables"], **variables, **services.variables})
        image_env = {k: v for k, v in Dockerfile().env.items() if k != "PATH"}
        environment = {
            **image_env,
            **given,
            "PATH": f"{self.pipeline.image_bin}:/usr/bin:/bin",
            "HOME": str(state),
            "CHAOS_BIND": f"127.0.0.1:{port}",
        }
        workdir = self.root / f"workdir-{name}"
        workdir.mkdir()
        log = self.root / f"chaos-{name}.log"
        server = ServerProcess(
            declared["entrypoint"] + declared["command"],
            environment,
            workdir,
            f"http://127.0.0.1:{port}",
            log,
        )
        services.logs.append(log)
        services.stack.callback(server.stop)
        server.launch()
        self.environments["service-config"] = str(state / "config.yml")
        self.environments["service-env"] = json.dumps(environment)
        return server.url

    def start_cluster(self) -> None:
        """The environments' pods: the image's command over HTTPS, serving the model and database the
        functional job left, with the smoke key of the environment."""
        config = yaml.safe_load(Path(self.environments["service-config"]).read_text())
        config["api"]["keys"] = [{"hash": key_hash(self.smoke_key), "scopes": ["score", "read_models"]}]
        (self.root / "cluster.yml").write_text(yaml.safe_dump(config))
        certificate, private_key = self_signed(self.root)
        port = free_port()
        environment = json.loads(self.environments["service-env"]) | {
            "CHAOS_CONFIGURATION_PATH": str(self.root / "cluster.yml"),
            "CHAOS_BIND": f"127.0.0.1:{port}",
            "GUNICORN_CMD_ARGS": f"--certfile {certificate} --keyfile {private_key}",
        }
        self.cluster = ServerProcess(
            [str(self.pipeline.image_bin / "gunicorn"), *Dockerfile().cmd[1:]],
            environment,
            self.root,
            f"https://127.0.0.1:{port}",
            self.root / "cluster.log",
        )
        canary_port = free_port()
        self.canary = ServerProcess(
            [str(self.pipeline.image_bin / "gunicorn"), *Dockerfile().cmd[1:]],
            {
                **{k: v for k, v in environment.items() if k != "GUNICORN_CMD_ARGS"},
                "CHAOS_BIND": f"127.0.0.1:{canary_port}",
            },
            self.root,
            f"http://127.0.0.1:{canary_port}",
            self.root / "canary.log",
        )
        for pod in (self.cluster, self.canary):
            pod.launch()
        deadline = time.monotonic() + 120
        for pod in (self.cluster, self.canary):
            while True:  # trusting its certificate explicitly: a CA bundle named by the environment would win
                with contextlib.suppress(requests.ConnectionError):
                    if requests.get(f"{pod.url}/ready", timeout=2, verify=str(certificate)).ok:
                        break
                assert time.monotonic() < deadline, pod.output()
                time.sleep(0.5)
        self.environments["domain"] = f"127.0.0.1:{port}"
        self.environments["canary-port"] = str(canary_port)


@pytest.fixture(scope="module")
def ran(tmp_path_factory, serving_install) -> Iterator[tuple[Runner, Pipeline]]:
    executable = tool("gitlab-ci-local")
    for needed in ("kubectl", "rsync", "openssl", "git"):
        tool(needed)
    root = tmp_path_factory.mktemp("pipeline")
    pipeline = Pipeline.prepare(root, serving_install.bin, executable)
    runner = Runner(pipeline, root, tool("gcp-storage-emulator"))
    started = time.monotonic()
    with runner.kept:
        staging = pipeline_variables("staging")
        runner.run_pipeline("branch", staging, only=BRANCH_JOBS)
        ran_branch = [runner.results["branch"].get(job) for job in BRANCH_JOBS]
        if all(run is not None and run.returncode == 0 for run in ran_branch):
            runner.start_cluster()
            runner.run_pipeline("branch", staging, only=["deploy-staging"])
            runner.run_pipeline("branch", pipeline_variables("develop"), only=["deploy-develop"])
        else:  # GitLab runs no later stage: the failed jobs are what the cases report
            runner.results["branch"] |= {"deploy-staging": None, "deploy-develop": None}
        runner.run_pipeline("master", pipeline_variables("master"))
        untested = pipeline_variables("master", CI_COMMIT_SHA="0" * 40)
        runner.run_pipeline("untested", untested, only=["tested-image"])
        runner.run_pipeline("tag", pipeline_variables("v1.0.0"))
        runner.summary.append(f"pipelines ran in {time.monotonic() - started:.0f} s")
        try:
            yield runner, pipeline
        finally:
            for pod in (runner.cluster, runner.canary):
                if pod is not None:
                    pod.stop()


def test_the_job_list_of_each_pipeline_and_each_jobs_time_are_reported(ran, request):
    runner, _ = ran
    add_summary(request.node, "\n".join(runner.summary))
    *pipelines, total = [line.split(":")[0] for line in runner.summary if not line.startswith(" ")]
    assert pipelines == ["branch", "branch", "branch", "master", "untested", "tag"]
    assert total.startswith("pipelines ran in ")
    assert all(f"  {job}: " in "\n".join(runner.summary) for job in BRANCH_JOBS)


@pytest.mark.parametrize("name", EXPECTED)
def test_each_pipeline_runs_the_jobs_of_the_matrix(ran, name):
    _, pipeline = ran
    listed = [job["name"] for job in pipeline.jobs(f"list-{name}", pipeline_variables(name))]
    assert listed == EXPECTED[name]


@pytest.mark.parametrize(
    "kind, job",
    [("branch", job) for job in EXPECTED["staging"]]
    + [("branch", "deploy-develop")]
    + [("master", job) for job in EXPECTED["master"]]
    + [("tag", job) for job in EXPECTED["v1.0.0"]],
)
def test_the_job_passes(ran, kind, job):
    runner, _ = ran
    run = runner.results[kind].get(job)
    assert run is not None, f"{job} did not run: an earlier stage failed"
    run.assert_passed()


@pytest.mark.parametrize("job", TEST_JOBS)
def test_each_test_job_publishes_a_junit_report_of_what_it_ran(ran, job):
    runner, _ = ran
    run = runner.results["branch"][job]
    assert run is not None
    report = ElementTree.parse(run.build_dir / "junit.xml").getroot()
    suite = report if report.tag == "testsuite" else report.find("testsuite")
    counts = {key: int(suite.get(key)) for key in ("tests", "failures", "errors", "skipped")}
    assert counts["failures"] == counts["errors"] == 0, counts
    assert counts["tests"] - counts["skipped"] >= SUITE_MINIMUM[job], counts


def test_one_image_built_once_is_tested_then_deployed_and_released_by_its_digest(ran):
    _, pipeline = ran
    builds = pipeline.calls("docker")
    built = [call for call in builds if call["argv"][0] == "build"]
    assert [call["job"] for call in built] == ["build", "build"]  # the branch pipeline, and nowhere else
    (serving,) = [call for call in built if call["target"] is None]
    (training,) = [call for call in built if call["target"] == "train"]
    registry = pipeline.registry()
    repository = serving["tags"][0].rsplit(":", 1)[0]
    assert registry[f"{repository}:tested-{pipeline.sha}"] == serving["digest"]
    assert registry[f"{repository}/train:tested-{pipeline.sha}"] == training["digest"]
    pinned = f"{repository}@{serving['digest']}"
    for job in ("deploy-staging", "deploy-develop", "deploy-master"):
        applied = [call for call in pipeline.calls("kubectl", job) if call["argv"][:2] == ["apply", "-k"]]
        assert applied and all(pinned in call["images"] for call in applied), (job, applied)
        assert ["config", "use-context", f"context-of-{job}"] in [
            c["argv"] for c in pipeline.calls("kubectl", job)
        ]
    assert registry[f"{repository}:v1.0.0"] == serving["digest"]
    (release,) = pipeline.calls("release-cli", "release")
    description = release["argv"][release["argv"].index("--description") + 1]
    assert pinned in description and f"{repository}/train@{training['digest']}" in description


@pytest.mark.parametrize("job", ["deploy-staging", "deploy-develop", "deploy-master"])
def test_each_deploy_smoke_tests_a_canary_before_the_rollout(ran, job):
    _, pipeline = ran
    calls = [call["argv"] for call in pipeline.calls("kubectl", job)]
    namespace = f"chaos-{job.removeprefix('deploy-')}"
    forwarded = calls.index(["port-forward", "deployment/chaos-canary", "--namespace", namespace, ":5000"])
    applied = [i for i, argv in enumerate(calls) if argv[:2] == ["apply", "-k"] and "--selector" not in argv]
    assert applied and forwarded < applied[0], calls
    assert ["scale", "deployment/chaos-canary", "--namespace", namespace, "--replicas", "0"] in calls


def test_master_refuses_a_commit_that_was_never_tested(ran):
    runner, _ = ran
    run = runner.results["untested"]["tested-image"]
    assert run is not None and run.returncode != 0
    assert "was never tested" in run.output
