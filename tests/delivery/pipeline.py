"""Running the jobs of .gitlab-ci.yml on this machine, as a runner would, without Docker or a cluster.

Each job runs through gitlab-ci-local's shell executor (`--force-shell-executor --shell-isolation`:
its own copy of the checkout, its own before_script and script as written, artifacts and dotenv
reports passed on as GitLab passes them), one job per call, in a scratch clone of the working tree.
What a job's `image:` would give it comes first on PATH: for `$IMAGE`, the virtualenv the
Dockerfile's own builder commands made (and nothing else of this machine's Python); for the
docker, kubectl and release-cli images, recording stand-ins (tests/delivery/standins) that share one
registry file. A job's `services:` are the runner's containers: here the test starts them as local
processes for that job, so the copy of the CI file gitlab-ci-local reads has them removed, and
their hostnames come to the job through its own variables (POSTGRES_HOST...), given here.
"""

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from harness.delivery import CI_FILE, REPO

STANDINS = Path(__file__).resolve().parent / "standins"
CI_WITHOUT_SERVICES = "ci-without-services.yml"
"""The copy of .gitlab-ci.yml gitlab-ci-local reads: the same jobs, their `services:` left to the test.
Untracked, so it is in no job's copy of the checkout."""
JOB_TIMEOUT_SECONDS = 1200
SYSTEM_PATH = "/usr/local/bin:/usr/bin:/bin"
REMOTE = "https://gitlab.example.com/bank/chaos.git"


def without_services(node: object) -> object:
    if isinstance(node, dict):
        return {key: without_services(value) for key, value in node.items() if key != "services"}
    if isinstance(node, list):
        return [without_services(value) for value in node]
    return node


def expand(variables: dict[str, str]) -> dict[str, str]:
    """GitLab's expansion of `$NAME` and `${NAME}` between variables (unknown names expand to "")."""
    expanded = dict(variables)
    for _ in range(5):
        known = dict(expanded)
        expanded = {
            name: re.sub(r"\$\{?(\w+)\}?", lambda m, known=known: known.get(m.group(1), ""), value)
            for name, value in expanded.items()
        }
    return expanded


@dataclass
class JobRun:
    name: str
    returncode: int
    output: str
    build_dir: Path

    def assert_passed(self) -> None:
        assert self.returncode == 0, f"job {self.name} failed:\n{self.output[-12000:]}"


@dataclass
class Pipeline:
    """A scratch clone of the working tree where jobs run; `image_bin` is the image's virtualenv."""

    root: Path
    image_bin: Path
    executable: str
    runs: list[JobRun] = field(default_factory=list)

    @classmethod
    def prepare(cls, root: Path, image_bin: Path, executable: str) -> "Pipeline":
        checkout = root / "checkout"
        checkout.mkdir(parents=True)
        listed = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
            cwd=REPO,
            capture_output=True,
            check=True,
        ).stdout.decode()
        for name in filter(None, listed.split("\0")):
            source = REPO / name
            if source.is_file():
                (checkout / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, checkout / name)
        git = ["git", "-c", "user.email=ci@example.com", "-c", "user.name=ci"]
        for command in (
            ["init", "--quiet", "--initial-branch=staging"],
            ["remote", "add", "origin", REMOTE],
            ["add", "--all"],
            ["commit", "--quiet", "--message", "the working tree under test"],
        ):
            subprocess.run([*git, *command], cwd=checkout, check=True, capture_output=True)
        config = yaml.safe_load(CI_FILE.read_text())
        (checkout / CI_WITHOUT_SERVICES).write_text(yaml.safe_dump(without_services(config), sort_keys=False))
        (root / "tmp").mkdir()
        (root / "home").mkdir()
        return cls(root, image_bin, executable)

    @property
    def checkout(self) -> Path:
        return self.root / "checkout"

    @property
    def state(self) -> Path:
        """The stand-ins' registry and call log."""
        return self.root / "standins.json"

    @property
    def sha(self) -> str:
        return subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=self.checkout, capture_output=True, text=True, check=True
        ).stdout.strip()

    def calls(self, tool: str | None = None, job: str | None = None) -> list[dict]:
        calls = json.loads(self.state.read_text())["calls"] if self.state.exists() else []
        return [c for c in calls if (tool is None or c["tool"] == tool) and (job is None or c["job"] == job)]

    def registry(self) -> dict[str, str]:
        return json.loads(self.state.read_text())["registry"]

    def _command(self, option: str, kind: str, variables: dict[str, str]) -> list[str]:
        command = [
            self.executable,
            option,
            "--file",
            CI_WITHOUT_SERVICES,
            "--state-dir",
            f".gitlab-ci-local-{kind}",
        ]
        command += ["--ignore-predefined-vars", ",".join(variables)]
        for name, value in variables.items():
            command += ["--variable", f"{name}={value}"]
        return command

    def jobs(self, kind: str, variables: dict[str, str]) -> list[dict]:
        """The jobs this pipeline runs (when: never left out), in stage order."""
        listed = subprocess.run(
            self._command("--list-json", kind, variables),
            cwd=self.checkout,
            capture_output=True,
            text=True,
            check=True,
            env=self.environment(SYSTEM_PATH, {}),
        ).stdout
        return [job for job in json.loads(listed) if job["when"] != "never"]

    def environment(self, path: str, extra: dict[str, str]) -> dict[str, str]:
        """What the job's processes inherit: no virtualenv or PYTHONPATH of this test run."""
        kept = {
            name: value
            for name, value in os.environ.items()
            if name not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTEST_ADDOPTS", "PYTEST_CURRENT_TEST")
            and not name.startswith(("CHAOS_", "STORAGE_EMULATOR"))
        }
        cache = Path.home() / ".cache"
        return {
            **kept,
            "PATH": path,
            # A home of its own: the shell of a job reads no profile that would put this machine's
            # Python first; the package caches stay the machine's, as a runner's cache would.
            "HOME": str(self.root / "home"),
            "PIP_CACHE_DIR": os.environ.get("PIP_CACHE_DIR", str(cache / "pip")),
            "UV_CACHE_DIR": os.environ.get("UV_CACHE_DIR", str(cache / "uv")),
            "TMPDIR": str(self.root / "tmp"),
            "STANDIN_STATE": str(self.state),
            "STANDIN_KUBECTL": shutil.which("kubectl") or "kubectl",
            **extra,
        }

    def path_for(self, image: str) -> str:
        """PATH as the job's image would give it."""
        if image == "$IMAGE":
            return f"{self.image_bin}:{SYSTEM_PATH}"
        python = Path(sys._base_executable).parent  # a plain Python, as python:3.11 has
        return f"{STANDINS}:{python}:{SYSTEM_PATH}"

    def run(
        self,
        kind: str,
        job: str,
        image: str,
        variables: dict[str, str],
        extra_env: dict[str, str] | None = None,
    ) -> JobRun:
        log = self.root / f"{kind}-{job}.log"
        with log.open("w") as output:
            build_dir = self.checkout / f".gitlab-ci-local-{kind}/builds/{job}"
            # gitlab-ci-local names a Docker executor's folder (/builds/...) even for the shell executor
            project = {"CI_PROJECT_DIR": str(build_dir)}
            result = subprocess.run(
                [
                    *self._command("--force-shell-executor", kind, variables | project),
                    "--shell-isolation",
                    job,
                ],
                cwd=self.checkout,
                stdout=output,
                stderr=subprocess.STDOUT,
                env=self.environment(self.path_for(image), extra_env or {}),
                timeout=JOB_TIMEOUT_SECONDS,
            )
        run = JobRun(job, result.returncode, log.read_text(), build_dir)
        self.runs.append(run)
        return run
