"""The image's content outside a container, built once per session: the chaos wheel installed in a
fresh virtualenv (as the Dockerfile's builder does) and a working directory holding what the
Dockerfile copies from the build context, with a model trained on demo data as models/."""

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from chaos.application.seed_demo_command import seed_demo
from chaos.application.train_model_for_appetence import train
from chaos.infrastructure.config.settings import ModelSettings, Settings
from tests.delivery.tools import REPO, Dockerfile

DEMO_ROWS = 4000
DEMO_SEED = 7
API_KEY = "delivery-test-key"  # pragma: allowlist secret
AUTHORIZATION = {"Authorization": f"Bearer {API_KEY}"}


@dataclass(frozen=True)
class ImageLikeApp:
    venv_bin: Path
    workdir: Path  # the image's WORKDIR

    def environment(self, extra: dict[str, str]) -> dict[str, str]:
        """The Dockerfile's ENV with its venv replaced by this one, plus `extra`; nothing inherited
        from the test run (no PYTHONPATH, no virtualenv of the repository)."""
        image_env = {name: value for name, value in Dockerfile().env.items() if name != "PATH"}
        return {"PATH": f"{self.venv_bin}:/usr/bin:/bin", "HOME": str(self.workdir), **image_env, **extra}

    def command(self, argv: list[str]) -> list[str]:
        """argv with its program resolved in the venv, as the image's PATH resolves it."""
        return [str(self.venv_bin / argv[0]), *argv[1:]]


def demo_data(engine) -> None:
    seed_demo(engine, rows=DEMO_ROWS, seed=DEMO_SEED)


@pytest.fixture(scope="session")
def image_like_app(tmp_path_factory, migrated_engine, database_settings) -> ImageLikeApp:
    root = tmp_path_factory.mktemp("image")
    wheels = root / "wheels"
    pip = [sys.executable, "-m", "pip", "--quiet", "--disable-pip-version-check"]
    _check(*pip, "wheel", "--no-deps", "--wheel-dir", str(wheels), str(REPO), cwd=root)
    (wheel,) = wheels.glob("chaos-*.whl")
    venv = root / "venv"
    _check(sys.executable, "-m", "venv", str(venv), cwd=root)
    _check(
        str(venv / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check", str(wheel), cwd=root
    )

    workdir = root / "app"
    workdir.mkdir()
    for source, destination in Dockerfile().context_copies():
        target = workdir / destination / (Path(source).name if destination.endswith("/") else "")
        if source == "models":  # the build context's model: CI fetches it; here it is trained
            demo_data(migrated_engine)
            settings = Settings(database=database_settings, model=ModelSettings(directory=target))
            train(settings, champion=True, engine=migrated_engine)
        else:
            shutil.copy(REPO / source, target)
    return ImageLikeApp(venv / "bin", workdir)


def _check(*command: str, cwd: Path) -> None:
    env = {name: value for name, value in os.environ.items() if name not in ("PYTHONPATH", "VIRTUAL_ENV")}
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{' '.join(command)}:\n{result.stdout}\n{result.stderr}"
