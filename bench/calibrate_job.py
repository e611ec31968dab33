"""The calibration job's benchmark: `chaos calibrate` on 1.5 million contacts in the days it reads.

On its own embedded PostgreSQL: demo data, a model trained on it, then the demo contacts copied
in SQL until the days one run reads (the slope window, the reporting lag and the widest window
before today and tomorrow) hold CONTACTS resolved outcomes. `chaos calibrate` runs as production
runs it, a separate process on an external-database configuration; its wall time and peak
resident memory (the kernel's count for the child) are the figures.
"""

import math
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import sqlalchemy as sa
import yaml

from chaos.bootstrap import training_on
from chaos.domain.calibration import DEFAULT_POLICY
from chaos.infrastructure.config.settings import DatabaseSettings, ModelSettings, Settings
from chaos.infrastructure.db import schema
from chaos.infrastructure.db.embedded import EmbeddedPostgres
from chaos.infrastructure.db.engine import create_engine
from chaos.infrastructure.db.tables import data_columns, marketing
from chaos.infrastructure.demo.seeding import seed_demo
from harness.network import free_port
from harness.publisher import publisher_settings

CONTACTS = 1_500_000
SEED_ROWS = 20_000
SECONDS_GOAL = 60
MEMORY_GOAL_MB = 1024


@dataclass(frozen=True)
class JobRun:
    contacts: int
    days: int
    seconds: float
    peak_rss_mb: float


def measure(workdir: Path, say) -> JobRun:
    database = DatabaseSettings(embedded=True, data_dir=workdir / "pgdata-calibrate", port=free_port())
    models = ModelSettings(**publisher_settings(workdir / "models-calibrate", workdir / "signing.pem"))
    settings = Settings(database=database, model=models)  # the job's external database: not the demo key
    server = EmbeddedPostgres(database)
    server.start()
    engine = create_engine(database)
    try:
        schema.upgrade(engine)
        seed_demo(engine, rows=SEED_ROWS)
        say("calibration job: training a model on the demo data")
        training_on(settings, engine).train(True)
        days = DEFAULT_POLICY.history_days() + 1
        say(f"calibration job: spreading {CONTACTS:,} resolved contacts over the {days} days one run reads")
        contacts = _fill(engine, days)
        config = workdir / "calibrate.yml"
        config.write_text(yaml.safe_dump(_configuration(settings)))
        say("calibration job: running `chaos calibrate`")
        seconds, peak_kb = _run_job(config, workdir / "calibrate.log")
    finally:
        engine.dispose()
        server.stop()
    return JobRun(contacts, days, seconds, peak_kb / 1024)


def _run_job(config: Path, log: Path) -> tuple[float, int]:
    """Wall seconds and peak resident kilobytes of one `chaos calibrate` process (its own rusage)."""
    started = time.perf_counter()
    with log.open("wb") as output:
        job = subprocess.Popen(
            [sys.executable, "-m", "chaos", "calibrate", "--since", date.today().isoformat()],  # a daily run
            env={"CHAOS_CONFIGURATION_PATH": str(config), "PATH": "/usr/bin:/bin"},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        _, status, usage = os.wait4(job.pid, 0)
        job.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if job.returncode != 0:
        raise RuntimeError(f"chaos calibrate failed: {log.read_text()}")
    return seconds, usage.ru_maxrss


def _fill(engine: sa.Engine, days: int) -> int:
    """Copies of the resolved demo contacts, each dated one of the `days` days before today, until
    those days hold CONTACTS of them; returns how many they hold."""
    columns = [name for name in data_columns(marketing) if name not in ("id", "date")]
    names = ", ".join(columns)
    with engine.begin() as connection:
        resolved = connection.scalar(sa.select(sa.func.count()).where(marketing.c.subscription.is_not(None)))
        copies = math.ceil(CONTACTS / resolved)
        connection.execute(sa.text("SET LOCAL statement_timeout = 0"))
        connection.execute(
            sa.text(
                f"INSERT INTO marketing (id, date, {names}) "
                f"SELECT m.id + n::bigint * 100000000, CURRENT_DATE - 1 - ((m.id + n) % :days)::int, {names} "
                "FROM (SELECT * FROM marketing WHERE subscription IS NOT NULL) m, "
                "generate_series(1, :copies) n "
                "ORDER BY 1 LIMIT :contacts"
            ),
            {"days": days, "copies": copies, "contacts": CONTACTS},
        )
        connection.execute(sa.text("ANALYZE marketing"))
        first = date.today().toordinal() - days
        return connection.scalar(
            sa.select(sa.func.count()).where(
                marketing.c.subscription.is_not(None), marketing.c.date >= date.fromordinal(first)
            )
        )


def _configuration(settings: Settings) -> dict:
    database = settings.database.model_dump(mode="json", include={"host", "port", "name", "user"})
    return {
        "database": database | {"embedded": False},
        "model": {"directory": str(settings.model.directory), "public_keys": settings.model.public_keys},
        "api": {"keys": []},
    }


def section(run: JobRun) -> list[str]:
    """The report's section: what ran, the figures, the targets."""
    seconds_met = "pass" if run.seconds <= SECONDS_GOAL else "MISS"
    memory_met = "pass" if run.peak_rss_mb <= MEMORY_GOAL_MB else "MISS"
    return [
        "## Calibration job (`chaos calibrate`)",
        "",
        f"One run (today and tomorrow, one model) reading {run.contacts:,} resolved contacts spread over the "
        f"{run.days} days it reads (slope window, lag and widest window), on an embedded PostgreSQL on "
        "this machine; a separate process, as the CronJob runs it.",
        "",
        "| measure | goal | figure | status |",
        "| --- | --- | ---: | --- |",
        f"| wall time | ≤ {SECONDS_GOAL} s | {run.seconds:,.1f} s | {seconds_met} |",
        f"| peak resident memory | ≤ {MEMORY_GOAL_MB} MB | {run.peak_rss_mb:,.0f} MB | {memory_met} |",
        "",
    ]
