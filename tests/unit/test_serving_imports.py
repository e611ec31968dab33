"""Serving never loads training code: a worker built by the root, scoring a request, the calibration
job on the served model, and `chaos monitor` (its command, the monitor the root builds, a run that
measures a day with a calibration slope) import no module of chaos.infrastructure.training and none
of the training libraries, although this install has them (the serving install lacks them
altogether: tests/delivery/test_installs.py)."""

import json
import subprocess
import sys
import textwrap

from tests.artifacts import save_model

TRAINING = ("chaos.infrastructure.training", "sklearn", "pandas", "scipy", "joblib", "matplotlib")

SERVE_AND_MONITOR = textwrap.dedent(
    """
    import json, sys
    from datetime import date, timedelta
    from pathlib import Path

    import sqlalchemy as sa

    import chaos.entrypoints.cli.monitor
    from chaos.application.daily_calibration import DailyCalibration
    from chaos.application.monitoring import ServedModelMonitor
    from chaos.application.stores import JobStores
    from chaos.bootstrap import monitor_on, web_worker
    from chaos.domain.calibration import DEFAULT_POLICY
    from chaos.domain.repositories import PastContact
    from chaos.domain.socio_eco import SocioEcoIndicators
    from chaos.entrypoints.web.app_factory import create_app
    from chaos.entrypoints.web.appetence_schema import EXAMPLE_REQUEST
    from chaos.infrastructure.config.settings import ModelSettings, Settings
    from chaos.infrastructure.models.configured import configured_reader
    from tests.fakes import (
        InMemoryCalibrationStore, InMemoryContactLog, InMemoryPerformanceLog, InMemorySocioEcoRepository
    )

    settings = Settings(model=ModelSettings(directory=Path(sys.argv[1])))
    june = InMemorySocioEcoRepository([SocioEcoIndicators(date(2008, 6, 30), 1.1, 93.9, -36.4)])
    client = create_app(web_worker(settings, repository=june)).test_client()
    answer = client.post(
        "/appetence",
        json={**EXAMPLE_REQUEST, "date": "2008-07-15"},
        headers={"Authorization": "Bearer chaos-demo-key"},
    )
    assert answer.status_code == 200, answer.get_data(as_text=True)
    day = date(2008, 7, 14)
    log = InMemoryContactLog(
        [PastContact(day, {**EXAMPLE_REQUEST, "age": 20 + i}, i % 2 == 0) for i in range(40)]
    )
    stores = JobStores(log, june, InMemoryCalibrationStore(), InMemoryPerformanceLog())
    calibration = DailyCalibration(configured_reader(settings.model), stores, DEFAULT_POLICY)
    assert len(calibration.run([day + timedelta(1)], print).stored) == 1
    nowhere = sa.create_engine("postgresql+psycopg2://nobody@localhost/none")  # never connected
    assert isinstance(monitor_on(settings, nowhere), ServedModelMonitor)
    monitor = ServedModelMonitor(configured_reader(settings.model), stores, None, None)
    (measured,) = monitor.run(1, day + timedelta(1))
    assert measured.contacts == 40 and measured.calibration_slope is not None, measured
    if len(sys.argv) > 2:
        __import__(sys.argv[2])
    print(json.dumps(sorted(sys.modules)))
    """
)


def imported(directory, *also: str) -> list[str]:
    """The modules a process imported to serve, calibrate and monitor, then to import `also`, that
    training needs."""
    run = subprocess.run(
        [sys.executable, "-c", SERVE_AND_MONITOR, str(directory), *also],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    modules = json.loads(run.stdout.splitlines()[-1])
    return [name for name in modules if name.split(".")[0] in TRAINING or name.startswith(TRAINING[0])]


def test_serving_calibrating_and_monitoring_import_no_training_module(tmp_path):
    save_model(tmp_path, champion=True)
    assert imported(tmp_path) == []


def test_the_check_sees_training_code_when_it_is_imported(tmp_path):
    save_model(tmp_path, champion=True)
    found = imported(tmp_path, "chaos.infrastructure.training.trainer")
    assert "chaos.infrastructure.training.trainer" in found and "sklearn" in found
