"""Imports are snapshots with lineage: replace by default, append only by a real key, demo data never
beside real data, `chaos db history` and `seed-demo`'s refusal, through the command line."""

import hashlib
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from chaos.entrypoints.cli.main import main
from chaos.infrastructure.db import lineage
from chaos.infrastructure.db.tables import marketing, socio_eco
from chaos.infrastructure.demo.seeding import seed_demo
from tests.integration.test_import_command import HEADER, ROWS, SOCIO
from tests.support.database import configuration_on


@pytest.fixture
def chaos(engine, database_settings, tmp_path, monkeypatch, capsys):
    """Runs `chaos db ARGS` against the test database; returns (exit code, stdout, stderr)."""
    config = tmp_path / "config.yml"
    sections = {"import": {"rejects_dir": "rejects"}, "api": {"keys": []}}
    config.write_text(configuration_on(database_settings, **sections))
    monkeypatch.setenv("CHAOS_CONFIGURATION_PATH", str(config))
    monkeypatch.chdir(tmp_path)

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["db", *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def write(tmp_path: Path, name: str, lines: list[str]) -> str:
    path = tmp_path / name
    path.write_bytes(("\n".join(lines) + "\n").encode("latin-1"))
    return str(path)


def ids(engine) -> list[int]:
    with engine.connect() as connection:
        return list(connection.scalars(sa.select(marketing.c.id).order_by(marketing.c.id)))


def rows_by_marker(engine) -> dict:
    with engine.connect() as connection:
        return lineage.row_counts(connection)


def test_a_smaller_export_replaces_the_table_and_history_shows_both(chaos, engine, tmp_path):
    full = write(tmp_path, "full.csv", [HEADER, *ROWS])
    extract = write(tmp_path, "extract.csv", [HEADER, ROWS[0], ROWS[1]])
    assert chaos("import", "--marketing", full)[0] == 0
    code, out, _ = chaos("import", "--marketing", extract)
    assert code == 0
    assert "2 imported (0 new, 0 changed, 2 unchanged), 2 removed, 0 rejected" in out
    assert ids(engine) == [0, 1]
    code, out, _ = chaos("history")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 2
    for line, path in zip(lines, (full, extract), strict=True):
        assert f"{Path(path).name} sha256 {hashlib.sha256(Path(path).read_bytes()).hexdigest()}" in line
    assert "removed 2" in lines[1] and "chaos " in lines[1]


def test_reimporting_the_same_export_records_it_and_changes_nothing(chaos, engine, tmp_path):
    full = write(tmp_path, "full.csv", [HEADER, *ROWS])
    chaos("import", "--marketing", full)
    code, out, _ = chaos("import", "--marketing", full)
    assert code == 0
    assert "4 imported (0 new, 0 changed, 4 unchanged), 0 removed" in out
    entries = lineage.history(engine)
    assert [(e.rows_new, e.rows_unchanged, e.rows_removed) for e in entries] == [(4, 0, 0), (0, 4, 0)]
    assert entries[0].sha256 == entries[1].sha256


def test_append_is_refused_without_a_real_key_and_nothing_is_written(chaos, engine, tmp_path):
    code, _, err = chaos("import", "--append", "--marketing", write(tmp_path, "delta.csv", [HEADER, *ROWS]))
    assert code == 1
    assert "appending needs a real key" in err and "'id'" in err
    assert ids(engine) == [] and lineage.history(engine) == []


def keyed(key: int, row: str) -> str:
    """The row with its unnamed index replaced by a contact id."""
    return f"{key};{row.partition(';')[2]}"


def test_append_by_a_named_id_keeps_the_other_rows(chaos, engine, tmp_path):
    keyed_header = "id" + HEADER
    full = write(tmp_path, "keyed.csv", [keyed_header, *(keyed(100 + i, row) for i, row in enumerate(ROWS))])
    assert chaos("import", "--marketing", full)[0] == 0
    delta = write(tmp_path, "delta.csv", [keyed_header, keyed(200, ROWS[0]), keyed(101, ROWS[2])])
    code, out, _ = chaos("import", "--append", "--marketing", delta)
    assert code == 0
    assert "2 imported (1 new, 1 changed, 0 unchanged), 0 removed" in out
    assert ids(engine) == [100, 101, 102, 103, 200]
    assert lineage.history(engine)[-1].mode == "append"


def test_socio_eco_months_can_be_appended_by_date(chaos, engine, tmp_path):
    assert chaos("import", "--socio-eco", write(tmp_path, "s.csv", SOCIO.splitlines()))[0] == 0
    august = write(
        tmp_path, "aug.csv", ["date;tx_var_emploi;idx_prix_conso;idx_conf_conso", "31-08-2008;1;2;3"]
    )
    assert chaos("import", "--append", "--socio-eco", august)[0] == 0
    with engine.connect() as connection:
        assert connection.scalar(sa.select(sa.func.count()).select_from(socio_eco)) == 4


def test_a_real_import_removes_every_demo_row_then_seed_demo_refuses(chaos, engine, tmp_path):
    seed_demo(engine, rows=500, seed=3, today=date(2026, 3, 15))  # 29 months over by then
    code, out, _ = chaos("import", "--socio-eco", write(tmp_path, "socio_eco.csv", SOCIO.splitlines()))
    assert code == 0
    assert "demo data removed: 29 socio_eco, 500 marketing rows" in out
    assert rows_by_marker(engine) == {"socio_eco": {False: 3, True: 0}, "marketing": {False: 0, True: 0}}
    kinds = [(e.table_name, e.kind) for e in lineage.history(engine)[-2:]]
    assert kinds == [("socio_eco", "import"), ("marketing", "demo-removal")]

    code, _, err = chaos("seed-demo", "--rows", "100")
    assert code == 1
    assert "holds imported data: 3 socio_eco rows" in err and "socio_eco.csv" in err and "--force" in err
    assert rows_by_marker(engine)["socio_eco"] == {False: 3, True: 0}

    assert chaos("seed-demo", "--rows", "100", "--force")[0] == 0
    markers = rows_by_marker(engine)["socio_eco"]
    assert markers[False] == 0 and markers[True] >= 29  # the demo's months that are over (30 on a 1st)
