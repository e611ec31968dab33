"""Finding the delivery tools and reading the repository's delivery files (rendered manifests, the
Dockerfile, the pipeline), for tests/delivery, the pod's shape and the bench's edge."""

import json
import os
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
DEPLOYMENT = REPO / "deployment"
CI_FILE = REPO / ".gitlab-ci.yml"
ENVIRONMENTS = ("develop", "staging", "master")
SAMPLE_IMAGE = "registry.example.com/team/chaos@sha256:" + "0a1b2c3d" * 8
DEPLOY_VALUES = {
    "CHAOS_DOMAIN": "chaos.test",
    "CHAOS_RUNBOOK_URL": "https://git.test/bank/chaos/-/blob/0a1b2c3d/deployment/README.md",
    "TRAIN_IMAGE": "registry.example.com/team/chaos-train@sha256:" + "4e5f6a7b" * 8,
    "ALERT_PAGE_URL": "https://pager.test/alertmanager/chaos",
    "ALERT_TICKET_URL": "https://tickets.test/alertmanager/chaos",
}
"""What CI gives deploy.sh per environment (CI/CD variables), with names reserved for tests."""


def tool(name: str) -> str:
    """The executable `name`, from this interpreter's environment first, else PATH; skips when absent."""
    beside_python = Path(sys.executable).parent / name
    found = str(beside_python) if beside_python.is_file() else shutil.which(name)
    if found is None:
        pytest.skip(f"`{name}` is not installed (.ci/run installs it)")
    return found


def run(
    *command: str, stdin: str | None = None, cwd: Path = REPO, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """Run a tool; a non-zero exit fails the test with the tool's own output."""
    result = subprocess.run(
        command, input=stdin, capture_output=True, text=True, cwd=cwd, timeout=300, env=env
    )
    shown = " ".join(command[:6]) + (" …" if len(command) > 6 else "")
    assert result.returncode == 0, f"{shown} failed:\n{result.stdout}\n{result.stderr}"
    return result


def deploy_environment(**variables: str) -> dict[str, str]:
    """This process's environment with DEPLOY_VALUES and `variables` for deployment/deploy.sh."""
    return {**os.environ, **DEPLOY_VALUES, **variables}


def pinned_text(environment: str, image: str = SAMPLE_IMAGE) -> str:
    """`deploy.sh ENV IMAGE --dry-run`: what the deploy applies (image, domain and runbook links set)."""
    return run(
        str(DEPLOYMENT / "deploy.sh"), environment, image, "--dry-run", env=deploy_environment()
    ).stdout


@cache
def rendered_text(environment: str) -> str:
    """`kubectl kustomize deployment/overlays/<environment>`: the exact YAML an apply would send."""
    return run(tool("kubectl"), "kustomize", str(DEPLOYMENT / "overlays" / environment)).stdout


def rendered_documents(environment: str) -> list[dict]:
    return list(yaml.safe_load_all(rendered_text(environment)))


def rendered(environment: str) -> dict[str, dict]:
    """The API's rendered objects of an environment (each named `chaos`) by kind."""
    return {kind: objects["chaos"] for kind, objects in by_kind(environment).items() if "chaos" in objects}


def by_kind(environment: str) -> dict[str, dict[str, dict]]:
    """Every rendered object of an environment by kind, then by name."""
    objects: dict[str, dict[str, dict]] = {}
    for document in rendered_documents(environment):
        named = objects.setdefault(document["kind"], {})
        name = document["metadata"]["name"]
        assert name not in named, f"two {document['kind']} objects named {name} in {environment}"
        named[name] = document
    return objects


def cron_jobs(environment: str) -> dict[str, dict]:
    """The scheduled jobs of an environment by name."""
    return by_kind(environment)["CronJob"]


def config_maps(environment: str) -> dict[str, dict]:
    """The rendered ConfigMaps by the name their generator gives them (before kustomize's hash suffix)."""
    return {
        document["metadata"]["name"].rsplit("-", 1)[0]: document
        for document in rendered_documents(environment)
        if document["kind"] == "ConfigMap"
    }


def pod_spec(environment: str) -> dict:
    return rendered(environment)["Deployment"]["spec"]["template"]["spec"]


def app_container(environment: str) -> dict:
    return container_named(environment, "chaos")


def edge_container(environment: str) -> dict:
    return container_named(environment, "edge")


def container_env(container: dict) -> dict[str, str]:
    """A container's `env` as a mapping (every value in these manifests is a literal)."""
    return {item["name"]: item["value"] for item in container.get("env", [])}


def container_named(environment: str, name: str) -> dict:
    (container,) = [c for c in pod_spec(environment)["containers"] if c["name"] == name]
    return container


def proxy_container(environment: str) -> dict:
    (container,) = [c for c in pod_spec(environment)["initContainers"] if c["name"] == "cloud-sql-proxy"]
    return container


def flags(container: dict) -> dict[str, str]:
    """`--name=value` arguments of a container as a mapping (`--switch` alone maps to "")."""
    parsed = {}
    for argument in container.get("args", []):
        assert argument.startswith("--"), f"unexpected positional argument {argument!r}"
        name, _, value = argument[2:].partition("=")
        parsed[name] = value
    return parsed


class Dockerfile:
    """A stage of the repository's Dockerfile as dockerfile-parse reads it: the final (runtime) one, or
    the one `docker build --target` names; with the stages that install the virtualenv it copies."""

    def __init__(self, path: Path = REPO / "Dockerfile", target: str | None = None):
        parse = pytest.importorskip("dockerfile_parse", reason="dockerfile-parse is not installed")
        self.parser = parse.DockerfileParser(path=str(path))
        self.stages: list[tuple[str | None, str, list[dict]]] = []
        for item in self.parser.structure:
            if item["instruction"] == "FROM":
                base, _, name = item["value"].partition(" AS ")
                self.stages.append((name.strip() or None, base.strip(), []))
            if self.stages:
                self.stages[-1][2].append(item)
        names = [name for name, _, _ in self.stages]
        self.target = target
        self.final_stage = self.stages[-1 if target is None else names.index(target)][2]

    def values(self, instruction: str) -> list[str]:
        return [item["value"] for item in self.final_stage if item["instruction"] == instruction]

    def installer_stages(self) -> list[list[dict]]:
        """The stages that make what this stage copies `--from`, each after the named stage it starts
        FROM: for the runtime, the builder; for `train`, the builder then the train builder."""
        by_name = {name: (base, items) for name, base, items in self.stages if name}
        chain: list[list[dict]] = []
        for value in self.values("COPY"):
            if value.startswith("--from="):
                name = value.split()[0].removeprefix("--from=")
                while name in by_name:
                    base, items = by_name[name]
                    chain.insert(0, items)
                    name = base
        return chain

    def build_runs(self) -> list[str]:
        """The RUN commands of the installer stages, in build order."""
        return [
            item["value"]
            for stage in self.installer_stages()
            for item in stage
            if item["instruction"] == "RUN"
        ]

    def build_copies(self) -> list[str]:
        """What the installer stages copy from the build context."""
        copies = []
        for stage in self.installer_stages():
            for item in stage:
                if item["instruction"] == "COPY" and not item["value"].startswith("--from"):
                    copies += item["value"].split()[:-1]
        return copies

    def last(self, instruction: str) -> str:
        values = self.values(instruction)
        assert values, f"the runtime stage has no {instruction}"
        return values[-1]

    @property
    def cmd(self) -> list[str]:
        """CMD in exec (JSON) form: a shell form would run gunicorn under /bin/sh, deaf to SIGTERM."""
        return json.loads(self.last("CMD"))

    @property
    def env(self) -> dict[str, str]:
        return dict(self.parser.envs)

    @property
    def workdir(self) -> str:
        return self.last("WORKDIR")

    def context_copies(self) -> list[tuple[str, str]]:
        """(source in the build context, destination) of each runtime-stage COPY without --from."""
        copies = []
        for value in self.values("COPY"):
            *sources, destination = value.split()
            if any(source.startswith("--from") for source in sources):
                continue
            copies += [(source, destination) for source in sources if not source.startswith("--")]
        return copies
