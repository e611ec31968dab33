"""The command line in the serving install (the image's: the lock and the wheel, no extras): what an
operator runs there works, and a command that needs an extra says so in one line instead of a traceback."""

import subprocess

import pytest
import yaml

from chaos.application.job_windows import FIRST_RUN_DAYS
from chaos.infrastructure.models.signing import public_text
from harness.publisher import PUBLISHER
from tests.artifacts import published_by_publisher, save_model
from tests.integration.test_import_command import HEADER, ROWS, SOCIO
from tests.support.installs import clean_environment


@pytest.fixture
def chaos_command(serving_install, tmp_path):
    """Runs the installed `chaos` from an empty directory with a configuration of the test's choosing."""
    config = tmp_path / "config.yml"
    config.write_text("{}\n")

    def run(*arguments: str, configuration: dict | None = None) -> subprocess.CompletedProcess:
        if configuration is not None:
            config.write_text(yaml.safe_dump(configuration))
        environment = clean_environment(
            PATH=f"{serving_install.bin}:/usr/bin:/bin",
            HOME=str(tmp_path),
            CHAOS_CONFIGURATION_PATH=str(config),
        )
        return subprocess.run(
            [str(serving_install.bin / "chaos"), *arguments],
            cwd=tmp_path,
            env=environment,
            capture_output=True,
            text=True,
            timeout=60,
        )

    return run


def external(database_settings) -> dict:
    """The settings of a production pod: an external database, and none of the demo's keys."""
    return {
        "api": {"keys": []},
        "model": {"public_keys": [public_text(PUBLISHER)]},
        "database": {
            "embedded": False,
            "host": database_settings.host,
            "port": database_settings.port,
            "name": database_settings.name,
            "user": database_settings.user,
            "password": database_settings.password,
        },
    }


def test_version_help_and_a_new_key_need_no_extra(chaos_command):
    import chaos

    version = chaos_command("--version")
    assert (version.returncode, version.stdout.strip()) == (0, f"chaos {chaos.__version__}")
    usage = chaos_command("--help")
    assert usage.returncode == 0 and all(name in usage.stdout for name in ("db", "train", "serve", "keys"))
    key = chaos_command("keys", "new")
    assert key.returncode == 0, key.stderr
    assert key.stdout.startswith("key: ") and "sha256:" in key.stdout
    assert chaos_command("train", "--help").returncode == 0  # the arguments are known without the extra


@pytest.mark.parametrize(
    ("command", "extra"),
    [
        ("train", "train"),
        ("backtest", "train"),
        ("db seed-demo", "demo"),
        ("db start", "demo"),
    ],
)
def test_a_command_that_needs_an_extra_names_it_and_exits_2(chaos_command, command, extra):
    result = chaos_command(*command.split())
    name = " ".join(word for word in command.split() if not word.startswith("-") and "." not in word)
    assert (result.returncode, result.stderr) == (2, f"chaos {name} needs: pip install 'chaos[{extra}]'\n")


def test_the_schema_commands_work_on_an_external_database(chaos_command, database_settings, migrated_engine):
    upgrade = chaos_command("db", "upgrade", configuration=external(database_settings))
    assert upgrade.returncode == 0, upgrade.stderr
    status = chaos_command("db", "status", configuration=external(database_settings))
    assert status.returncode == 0, status.stderr
    revision = upgrade.stdout.split()[-1]
    assert f"schema at revision {revision}, this install's head is {revision}" in status.stdout


def test_an_operator_imports_the_exports_without_an_extra(chaos_command, database_settings, engine, tmp_path):
    """`chaos db import` of the indicators and the contacts from the operator's install: no pandas,
    scikit-learn nor progress-bar library; the stages are printed on stderr."""
    socio, contacts = tmp_path / "socio_eco.csv", tmp_path / "data.csv"
    socio.write_text(SOCIO, encoding="latin-1")
    contacts.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="latin-1")
    configuration = external(database_settings) | {"import": {"rejects_dir": str(tmp_path / "rejects")}}
    imported = chaos_command(
        "db", "import", "--socio-eco", str(socio), "--marketing", str(contacts), configuration=configuration
    )
    assert imported.returncode == 0, imported.stderr
    assert "socio_eco.csv (sha256" in imported.stdout and "data.csv (sha256" in imported.stdout
    assert "writing socio_eco, marketing in one transaction" in imported.stderr
    history = chaos_command("db", "history", configuration=configuration)
    assert history.returncode == 0, history.stderr
    assert "socio_eco.csv" in history.stdout and "data.csv" in history.stdout


def test_status_of_an_unreachable_database_is_one_line(chaos_command, database_settings):
    from harness.network import free_port

    nowhere = external(database_settings)
    nowhere["database"]["port"] = free_port()
    result = chaos_command("db", "status", configuration=nowhere)
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1 and "unreachable" in result.stderr


def test_the_calibration_job_runs_in_the_serving_install(
    chaos_command, database_settings, migrated_engine, tmp_path
):
    """`chaos calibrate` runs from the pods' image, which has no scikit-learn, pandas nor scipy."""
    models = tmp_path / "models"
    version = save_model(models, champion=True, store=published_by_publisher(models))
    configuration = external(database_settings)
    configuration["model"]["directory"] = str(models)
    calibrated = chaos_command("calibrate", configuration=configuration)
    assert calibrated.returncode == 0, calibrated.stderr
    assert calibrated.stdout.startswith(f"{version}: {FIRST_RUN_DAYS + 2} days stored")  # a first run


def test_the_monitor_runs_in_the_serving_install(chaos_command, database_settings, migrated_engine, tmp_path):
    """`chaos monitor` runs from the pods' image too: its figures, the calibration slope included, need
    no scikit-learn; each day measured is printed and recorded."""
    from tests.support.served import seed

    seed(database_settings)
    models = tmp_path / "models"
    version = save_model(models, champion=True, store=published_by_publisher(models))
    configuration = external(database_settings)
    configuration["model"]["directory"] = str(models)
    measured = chaos_command("monitor", "--days", "120", configuration=configuration)
    assert measured.returncode == 0, measured.stderr
    lines = measured.stdout.splitlines()
    assert lines and all(line.startswith(f"{version} ") for line in lines), measured.stdout
