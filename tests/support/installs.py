"""chaos as it is installed, outside the repository: the Dockerfile's builder run on this machine (the
lock with its hashes into a fresh virtualenv, then the wheel it builds, alone), with a local config.yml
planted among the sources to prove the wheel never carries one; and the image's working directory
beside that virtualenv, with a model trained on demo data."""

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from chaos.bootstrap import training_on
from chaos.infrastructure.config.settings import DatabaseSettings, ModelSettings, Settings
from chaos.infrastructure.demo.seeding import seed_demo
from harness.delivery import REPO, Dockerfile
from harness.network import free_port
from harness.publisher import publisher_settings
from harness.server import ServerProcess

PLANTED_CONFIG = "chaos/infrastructure/config/config.yml"
"""Where a developer keeps a local configuration (with secrets): git ignores it, the wheel must too."""
DEMO_ROWS = 4000
DEMO_SEED = 7
API_KEY = "delivery-test-key"  # pragma: allowlist secret
AUTHORIZATION = {"Authorization": f"Bearer {API_KEY}"}


@dataclass(frozen=True)
class ServingInstall:
    venv: Path
    wheel: Path

    @property
    def bin(self) -> Path:
        return self.venv / "bin"

    def site_packages(self) -> Path:
        (found,) = self.venv.glob("lib/python*/site-packages")
        return found


@dataclass(frozen=True)
class ImageLikeApp:
    venv_bin: Path
    workdir: Path  # the image's WORKDIR
    models: Path  # the model store the pod reads (a bucket in Kubernetes), signed by PUBLISHER

    def environment(self, extra: dict[str, str]) -> dict[str, str]:
        """The Dockerfile's ENV with its venv replaced by this one, plus `extra`; nothing inherited
        from the test run (no PYTHONPATH, no virtualenv of the repository)."""
        image_env = {name: value for name, value in Dockerfile().env.items() if name != "PATH"}
        return {"PATH": f"{self.venv_bin}:/usr/bin:/bin", "HOME": str(self.workdir), **image_env, **extra}

    def command(self, argv: list[str]) -> list[str]:
        """argv with its program resolved in the venv, as the image's PATH resolves it."""
        return [str(self.venv_bin / argv[0]), *argv[1:]]

    def server(self, extra: dict[str, str], log: Path) -> ServerProcess:
        """The Dockerfile's CMD with `extra` over the image's environment, listening on a free loopback
        port instead of the pod's 0.0.0.0:5000; its requests carry the test key. Not started."""
        port = free_port()
        environment = self.environment({**extra, "CHAOS_BIND": f"127.0.0.1:{port}"})
        command = self.command(Dockerfile().cmd)
        return ServerProcess(
            command, environment, self.workdir, f"http://127.0.0.1:{port}", log, AUTHORIZATION
        )


def demo_data(engine) -> None:
    seed_demo(
        engine, rows=DEMO_ROWS, seed=DEMO_SEED, force=True
    )  # the suite's database: rows an earlier test imported are its own


def database_section(settings: DatabaseSettings) -> dict[str, object]:
    """The `database:` section of a config.yml for the suite's running server, as an image reads it."""
    return {"embedded": False, "host": settings.host, "port": settings.port}


def clean_environment(**extra: str) -> dict[str, str]:
    """This process's environment without what points Python at the repository's virtualenv."""
    kept = {name: value for name, value in os.environ.items() if name not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return kept | extra


def check(*command: str, cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        command, cwd=cwd, env=env or clean_environment(), capture_output=True, text=True, timeout=900
    )
    assert result.returncode == 0, f"{' '.join(command)}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def dockerfile_install(root: Path, dockerfile: Dockerfile) -> ServingInstall:
    """The RUN commands of the stages that install `dockerfile`'s virtualenv, with /opt/venv and /wheels
    moved under `root`, on a copy of what those stages copy from the build context plus a planted
    local config.yml."""
    context, venv, wheels = root / "context", root / "venv", root / "wheels"
    context.mkdir()
    for source in dockerfile.build_copies():
        if (REPO / source).is_dir():
            shutil.copytree(REPO / source, context / source, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(REPO / source, context / source)
    (context / PLANTED_CONFIG).write_text("database:\n  password: planted\n")  # pragma: allowlist secret
    script = " && ".join(dockerfile.build_runs())
    script = script.replace("/opt/venv", str(venv)).replace("/wheels", str(wheels))
    path = f"{Path(sys.executable).parent}:/usr/bin:/bin"  # `python` and `pip`: this interpreter's
    check("bash", "-c", script, cwd=context, env=clean_environment(PATH=path))
    (wheel,) = wheels.glob("chaos-*.whl")
    return ServingInstall(venv, wheel)


@pytest.fixture(scope="session")
def serving_install(tmp_path_factory) -> ServingInstall:
    """The image's install: the builder stage's RUN."""
    return dockerfile_install(tmp_path_factory.mktemp("install"), Dockerfile())


@pytest.fixture(scope="session")
def train_install(tmp_path_factory) -> ServingInstall:
    """The retraining image's install (`--target train`): the builder's RUN, then the train builder's."""
    return dockerfile_install(tmp_path_factory.mktemp("train-install"), Dockerfile(target="train"))


@pytest.fixture(scope="session")
def image_like_app(tmp_path_factory, serving_install, migrated_engine, database_settings) -> ImageLikeApp:
    """The runtime stage's working directory beside the serving install, and a model store outside
    it (the image carries no model: a pod reads the bucket; here, a trained local store)."""
    root = tmp_path_factory.mktemp("image")
    workdir, models = root / "app", root / "model-store"
    workdir.mkdir()
    dockerfile = Dockerfile()
    for source, destination in dockerfile.context_copies():
        target = workdir / destination / (Path(source).name if destination.endswith("/") else "")
        shutil.copy(REPO / source, target)
    demo_data(migrated_engine)
    publishing = ModelSettings(**publisher_settings(models, root / "signing.pem"))
    training_on(
        Settings(database=database_settings, model=publishing), migrated_engine, lambda stage: None
    ).train(True)
    app = ImageLikeApp(serving_install.bin, workdir, models)
    for command in dockerfile.values("RUN"):
        if command.startswith("python "):
            check("bash", "-c", command, cwd=workdir, env=app.environment({}))
    return app
