"""`chaos db import` end to end against the real PostgreSQL: summaries, exit codes, atomicity, idempotence."""

import csv
import re
from datetime import date

import pytest
import sqlalchemy as sa

from chaos.entrypoints.cli.main import main
from chaos.infrastructure.db.tables import data_columns, marketing, socio_eco
from harness.network import free_port
from tests.support.database import configuration_on

HEADER = (
    ";date;age;job;relation;education;defaut;balance;pret_immo;pret_perso;contact;duree_contact;nb_contact;"
    "nb_j_dernier_contact;nb_contact_derniere_campagne;resultat_derniere_campagne;statut"
)
ROWS = [
    "0;2008-05-05;58;Manager ;Marié;Tertiaire;No;2143;Yes;No;;261;1;-1;0;;Refus",
    "1;05-05-2008;123;Technicien;;Secondaire;No;29;Yes;;;151;1;-1;0;;Souscrit",
    "2;2008-06-02;33;Entrepreuneur;Marié;Secondaire;No;2;Yes;Yes;Portable;0;1;-1;0;Echec;Absent",
    "3;2008-07-14;47;Col bleu;Marié;;No;1506;Yes;No;;0;1;-1;0;;Absent",
]
SOCIO = """;date;tx_var_emploi;idx_prix_conso;idx_conf_conso
0;31-05-2008;1.1;93.994;-36.4
1;30-06-2008;???;???;???
2;31-07-2008;1.4;93.918;-42.7
"""


@pytest.fixture
def chaos(engine, database_settings, tmp_path, monkeypatch, capsys):
    """Runs `chaos db import ARGS` with a configuration pointing at the test database."""
    config = tmp_path / "config.yml"
    sections = {"import": {"max_reject_ratio": 0.25, "rejects_dir": "rejects"}, "api": {"keys": []}}
    config.write_text(configuration_on(database_settings, **sections))  # the running test server
    monkeypatch.setenv("CHAOS_CONFIGURATION_PATH", str(config))
    monkeypatch.chdir(tmp_path)

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["db", "import", *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def files(tmp_path):
    def write(name: str, text: str, encoding: str = "latin-1") -> str:
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return str(path)

    return write


def table(engine, which: sa.Table) -> list[tuple]:
    query = sa.select(*(which.c[name] for name in data_columns(which))).order_by(*which.primary_key)
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(query)]


def versions(engine, which: sa.Table) -> list[str]:
    """Row versions (xmin): unchanged when a re-import leaves a row alone."""
    query = sa.select(sa.literal_column("xmin::text")).select_from(which).order_by(*which.primary_key)
    with engine.connect() as connection:
        return list(connection.execute(query).scalars())


def test_imports_both_files_and_prints_the_summary(chaos, files, engine):
    data = files("data.csv", "\n".join([HEADER, *ROWS]) + "\n")
    code, out, _ = chaos("--marketing", data, "--socio-eco", files("socio_eco.csv", SOCIO, "utf-8"))
    assert code == 0
    assert out.index("-> socio_eco: 3 read") < out.index("-> marketing: 4 read")
    assert "4 imported (4 new, 0 changed, 0 unchanged), 0 removed, 0 rejected" in out
    assert "rejected rows" not in out
    assert table(engine, socio_eco) == [
        (date(2008, 5, 31), 1.1, 93.994, -36.4),
        (date(2008, 6, 30), None, None, None),
        (date(2008, 7, 31), 1.4, 93.918, -42.7),
    ]
    rows = table(engine, marketing)
    assert [row[:4] for row in rows] == [
        (0, date(2008, 5, 5), 58, "Manager"),
        (1, date(2008, 5, 5), None, "Technicien"),
        (2, date(2008, 6, 2), 33, "Entrepreuneur"),
        (3, date(2008, 7, 14), 47, "Col bleu"),
    ]
    assert [(row[-2], row[-1]) for row in rows] == [
        ("Refus", False),
        ("Souscrit", True),
        ("Absent", False),
        ("Absent", False),
    ]


def test_reimporting_the_same_file_changes_no_row(chaos, files, engine):
    data = files("data.csv", "\n".join([HEADER, *ROWS]) + "\n")
    assert chaos("--marketing", data)[0] == 0
    before = (table(engine, marketing), versions(engine, marketing))
    code, out, _ = chaos("--marketing", data)
    assert code == 0
    assert "4 imported (0 new, 0 changed, 4 unchanged)" in out
    assert (table(engine, marketing), versions(engine, marketing)) == before


def test_a_changed_row_is_updated_in_place(chaos, files, engine):
    assert chaos("--marketing", files("data.csv", "\n".join([HEADER, *ROWS])))[0] == 0
    edited = [ROWS[0].replace(";2143;", ";9999;"), *ROWS[1:]]
    code, out, _ = chaos("--marketing", files("edited.csv", "\n".join([HEADER, *edited])))
    assert (code, "4 imported (0 new, 1 changed, 3 unchanged)" in out) == (0, True)
    assert [row[7] for row in table(engine, marketing)] == [9999, 29, 2, 1506]


def test_rejected_rows_are_counted_and_written_with_their_reason(chaos, files, engine):
    bad = ROWS[3].replace(";47;", ";abc;")
    code, out, _ = chaos("--marketing", files("data.csv", "\n".join([HEADER, *ROWS[:3], bad])))
    assert code == 0
    assert "3 imported (3 new, 0 changed, 0 unchanged), 0 removed, 1 rejected" in out
    assert re.search(r"\b1  age: is not an integer", out)
    rejects = re.search(r"rejected rows: (\S+)", out).group(1)
    with open(rejects, encoding="utf-8", newline="") as written:
        assert list(csv.reader(written, delimiter=";")) == [
            ["line", "reason", *HEADER.split(";")],
            ["5", "age: 'abc' is not an integer", *bad.split(";")],
        ]
    assert [row[0] for row in table(engine, marketing)] == [0, 1, 2]


def test_above_the_reject_ratio_nothing_is_written(chaos, files, engine):
    rows = [ROWS[0], ROWS[1].replace(";29;", ";;"), ROWS[2].replace("2008-06-02", "2008-13-02"), ROWS[3]]
    data = files("data.csv", "\n".join([HEADER, *rows]))
    code, out, _ = chaos("--marketing", data)
    assert code == 1
    assert "REFUSED: 2 rejected (50.0%) exceeds the maximum reject ratio 25.0%; nothing written" in out
    assert "rejected rows: " in out
    assert table(engine, marketing) == []
    code, out, _ = chaos("--marketing", data, "--max-reject-ratio", "0.5")
    assert (code, len(table(engine, marketing))) == (0, 2)


def test_a_refused_socio_eco_file_leaves_marketing_unwritten(chaos, files, engine):
    socio = files("socio_eco.csv", SOCIO.replace("31-07-2008", "15-07-2008").replace("31-05-2008", "x"))
    code, out, _ = chaos("--marketing", files("data.csv", "\n".join([HEADER, *ROWS])), "--socio-eco", socio)
    assert code == 1
    assert "-> marketing: 4 read\n  not written: the other file was refused" in out
    assert table(engine, socio_eco) == table(engine, marketing) == []


def test_two_files_are_one_transaction_a_failure_in_the_second_keeps_the_first_table(chaos, files, engine):
    assert chaos("--socio-eco", files("socio_eco.csv", SOCIO))[0] == 0
    before = table(engine, socio_eco)
    with engine.begin() as connection:
        connection.execute(sa.text("ALTER TABLE marketing ADD CONSTRAINT test_no_id_1 CHECK (id <> 1)"))
    try:
        code, _, err = chaos(
            "--socio-eco",
            files("newer.csv", SOCIO.replace("93.994", "94.5")),
            "--marketing",
            files("data.csv", "\n".join([HEADER, *ROWS])),
        )
    finally:
        with engine.begin() as connection:
            connection.execute(sa.text("ALTER TABLE marketing DROP CONSTRAINT test_no_id_1"))
    assert code == 1
    assert "data.csv: database error, nothing imported" in err
    assert table(engine, socio_eco) == before
    assert table(engine, marketing) == []


def test_a_database_error_rolls_the_whole_file_back(chaos, files, engine):
    assert chaos("--marketing", files("data.csv", "\n".join([HEADER, *ROWS])))[0] == 0
    before = table(engine, marketing)
    edited = [row.replace(";Absent", ";Refus") for row in ROWS]
    with engine.begin() as connection:
        connection.execute(sa.text("ALTER TABLE marketing ADD CONSTRAINT test_no_id_4 CHECK (id <> 4)"))
    try:
        code, _, err = chaos(
            "--marketing", files("edited.csv", "\n".join([HEADER, *edited, "4" + ROWS[3][1:]]))
        )
    finally:
        with engine.begin() as connection:
            connection.execute(sa.text("ALTER TABLE marketing DROP CONSTRAINT test_no_id_4"))
    assert code == 1
    assert "database error, nothing imported" in err
    assert "test_no_id_4" in err
    assert table(engine, marketing) == before


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        ((), 2, "give --marketing FILE, --socio-eco FILE or both"),
        (("--marketing", "absent.csv"), 1, "absent.csv: cannot read"),
        (("--socio-eco", "header_only.csv"), 1, "missing column(s) for socio_eco"),
    ],
)
def test_unusable_invocations_fail_with_a_message(chaos, files, args, code, message):
    files("header_only.csv", "date;tx_var_emploi\n")
    result, _, err = chaos(*args)
    assert (result, message in err) == (code, True)


def test_an_unreachable_database_fails_cleanly(database_settings, tmp_path, monkeypatch, capsys):
    config = tmp_path / "config.yml"
    database = database_settings.model_copy(update={"port": free_port()})  # nobody listens there
    config.write_text(configuration_on(database, api={"keys": []}))
    monkeypatch.setenv("CHAOS_CONFIGURATION_PATH", str(config))
    assert main(["db", "import", "--socio-eco", "socio_eco.csv"]) == 1
    assert "database unavailable, nothing imported" in capsys.readouterr().err


def test_a_bad_ratio_option_is_a_usage_error(chaos):
    with pytest.raises(SystemExit) as exit_:
        chaos("--marketing", "data.csv", "--max-reject-ratio", "2")
    assert exit_.value.code == 2
