"""deployment/database-backup.sh, the runbook's logical backup and restore drill, run on the suite's
PostgreSQL with the server's own pg_dump, pg_restore and psql: a dump restores into an empty database
with every row, a restore that lost a row is caught, and a database that holds tables is never
restored over."""

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from chaos.infrastructure.db.embedded import SUPERUSER, EmbeddedPostgres
from chaos.infrastructure.demo.seeding import seed_demo
from harness.delivery import DEPLOYMENT

SCRIPT = str(DEPLOYMENT / "database-backup.sh")
SCRATCH = "chaos_restore_drill"


@pytest.fixture
def live(engine, database_settings) -> Iterator[dict[str, str]]:
    """The suite's database with demo data, an empty scratch database beside
    it owned by the same role (as `gcloud sql databases create` makes it), and the environment that
    points libpq and the PostgreSQL tools at them."""
    if not database_settings.embedded:
        pytest.skip("the drill creates its scratch database on the embedded server")
    seed_demo(engine, rows=2_000, seed=5)  # reported_outcome stays empty: an empty table restores too
    bin_dir = EmbeddedPostgres(database_settings).bin_dir
    if not (bin_dir / "pg_dump").exists():
        pytest.skip(f"no pg_dump beside the embedded server in {bin_dir}")
    administrator = sa.create_engine(
        sa.engine.URL.create(
            "postgresql+psycopg2",
            username=SUPERUSER,
            host=database_settings.host,
            port=database_settings.port,
            database="postgres",
        ),
        isolation_level="AUTOCOMMIT",
        poolclass=sa.pool.NullPool,
    )
    with administrator.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE {SCRATCH} OWNER "{database_settings.user}"'))
    try:
        yield {
            **os.environ,
            "PATH": f"{bin_dir}:{os.environ['PATH']}",
            "PGHOST": database_settings.host,
            "PGPORT": str(database_settings.port),
            "PGUSER": database_settings.user,
            "PGDATABASE": database_settings.name,
        }
    finally:
        with administrator.connect() as connection:
            connection.execute(sa.text(f"DROP DATABASE {SCRATCH} WITH (FORCE)"))
        administrator.dispose()


def backup(environment: dict[str, str], *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run([SCRIPT, *arguments], env=environment, capture_output=True, text=True, timeout=300)


def scratch(environment: dict[str, str]) -> dict[str, str]:
    return environment | {"PGDATABASE": SCRATCH}


def test_the_restore_drill_restores_every_row_of_every_table(live, engine):
    result = backup(live, "drill", SCRATCH)
    assert result.returncode == 0, result.stdout + result.stderr
    with engine.connect() as connection:
        contacts = connection.scalar(sa.text("SELECT count(*) FROM marketing"))
        months = connection.scalar(sa.text("SELECT count(*) FROM socio_eco"))
    assert contacts > 0 and months > 0
    assert f"ok marketing: {contacts} rows" in result.stdout
    assert f"ok socio_eco: {months} rows" in result.stdout
    assert "ok reported_outcome: 0 rows" in result.stdout
    assert f"{SCRATCH} holds exactly what" in result.stdout


def test_a_restore_that_lost_a_row_is_caught(live, tmp_path: Path):
    dump = tmp_path / "chaos.dump"
    assert backup(live, "dump", str(dump)).returncode == 0
    restored = backup(scratch(live), "restore", str(dump))
    assert restored.returncode == 0, restored.stderr
    psql = shutil.which("psql", path=live["PATH"])
    assert psql is not None
    subprocess.run(
        [psql, "-c", "DELETE FROM marketing WHERE ctid = (SELECT min(ctid) FROM marketing)"],
        env=scratch(live),
        check=True,
        capture_output=True,
    )
    result = backup(live, "compare", SCRATCH)
    assert result.returncode == 1
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == ["DIFFERS marketing"]
    assert f"{SCRATCH} differs from" in result.stderr


def test_nothing_is_restored_over_a_database_that_holds_tables(live, tmp_path: Path):
    dump = tmp_path / "chaos.dump"
    assert backup(live, "dump", str(dump)).returncode == 0
    result = backup(live, "restore", str(dump))
    assert result.returncode == 1 and "restore into an empty database" in result.stderr
