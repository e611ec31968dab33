"""The batch API reads the bank's export as `chaos db import` does, and its 422 answers stay small
however many rows are wrong."""

import csv
import io
import json
from datetime import date

import pytest

from chaos.bootstrap import web_worker
from chaos.domain.socio_eco import SocioEcoIndicators
from chaos.entrypoints.web.app_factory import create_app
from chaos.entrypoints.web.appetence_schema import EXAMPLE_REQUEST, MAX_ERRORS_LISTED
from chaos.entrypoints.web.batch_routes import MAX_IGNORED_BYTES, bounded_list
from chaos.infrastructure.config import Settings
from tests.fakes import FakeScoringModel, InMemorySocioEcoRepository
from tests.web_clients import keyed_client

MAY = SocioEcoIndicators(date(2008, 5, 31), 1.1, 93.994, -36.4)
FRENCH_HEADER = (
    ";date;age;job;relation;education;defaut;balance;pret_immo;pret_perso;contact;duree_contact;nb_contact;"
    "nb_j_dernier_contact;nb_contact_derniere_campagne;resultat_derniere_campagne;statut"
)
EXPORT_ROWS = [
    "0;2008-06-05;58;Manager ;Marié;Tertiaire;No;2143;Yes;No;;261;1;-1;0;;Refus",
    "1;05-06-2008;123;Technicien;;Secondaire;No;29;Yes;;;151;1;-1;0;;Souscrit",
    "2;2008-06-02;33;Retraité;Marié;Secondaire;No;2;Yes;Yes;Portable;0;1;-1;0;Echec;Absent",
]


@pytest.fixture
def model():
    return FakeScoringModel(scorer=lambda features: 0.1 + (features["age"] or 0) / 100)


@pytest.fixture
def client(model):
    return keyed_client(
        create_app(web_worker(Settings(), model=model, repository=InMemorySocioEcoRepository([MAY])))
    )


def export(*rows: str, header: str = FRENCH_HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("latin-1")


def test_the_export_is_read_as_it_is(client, model):
    response = client.post("/appetence/batch", data=export(*EXPORT_ROWS), content_type="text/csv")
    assert response.status_code == 200, response.json
    assert [row["appetence"] for row in response.json["results"]] == pytest.approx([0.68, 0.1, 0.43])
    assert [row["id"] for row in response.json["results"]] == [0, 1, 2]  # the leading index is the id
    assert response.headers["X-Ignored-Columns"] == "duree_contact, statut"
    first, unknown_age, _ = model.seen
    assert (first["job_type"], first["status"], first["has_default"]) == ("Manager", "Marié", False)
    assert unknown_age["age"] is None  # 123 is the export's unknown age


def test_an_ignored_column_repeated_is_listed_once_per_spelling(client):
    header = FRENCH_HEADER + ";statut;STATUT"
    rows = (row + ";x;y" for row in EXPORT_ROWS)
    response = client.post("/appetence/batch", data=export(*rows, header=header), content_type="text/csv")
    assert response.status_code == 200, response.json
    assert response.headers["X-Ignored-Columns"] == "duree_contact, statut, STATUT"


def test_a_long_list_of_ignored_columns_is_cut_with_a_count():
    names = tuple(f"column_{n:04d}" for n in range(500))
    listed = bounded_list(names)
    assert len(listed) <= MAX_IGNORED_BYTES
    shown, _, more = listed.rpartition(" (+")
    assert len(shown.split(", ")) + int(more.removesuffix(" more)")) == 500
    assert bounded_list(("été", "日本")) == "été, \\u65e5\\u672c"  # the header is Latin-1 on the wire


def test_a_comma_separated_utf8_export_with_canonical_headers(client):
    header = "date,age,job_type,has_default,balance,has_housing_loan,nb_contact,nb_day_last_contact,"
    header += "nb_contact_last_campaign,outcome"
    body = f"{header}\n2008-06-05,41,Technicien,non,10,oui,1,-1,0,Refus\n".encode()
    response = client.post("/appetence/batch", data=body, content_type="text/csv")
    assert response.status_code == 200, response.json
    assert response.headers["X-Ignored-Columns"] == "outcome"


def test_an_unknown_column_is_refused(client):
    body = export(EXPORT_ROWS[0].replace(";Refus", ";Refus;x"), header=FRENCH_HEADER + ";couleur")
    response = client.post("/appetence/batch", data=body, content_type="text/csv")
    assert response.status_code == 422
    assert "unknown column(s) 'couleur'" in response.json["errors"][0]["message"]


def test_csv_answers_keep_the_callers_rows_in_order(client):
    response = client.post(
        "/appetence/batch", data=export(*EXPORT_ROWS), content_type="text/csv", headers={"Accept": "text/csv"}
    )
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [(row["date"], row["age"]) for row in rows] == [
        ("2008-06-05", "58"),
        ("2008-06-05", ""),
        ("2008-06-02", "33"),
    ]
    assert [float(row["appetence"]) for row in rows] == pytest.approx([0.68, 0.1, 0.43])


def test_a_bad_cell_names_its_row_line_and_column(client):
    body = export(EXPORT_ROWS[0], EXPORT_ROWS[1].replace(";29;", ";beaucoup;"))
    response = client.post("/appetence/batch", data=body, content_type="text/csv")
    assert response.status_code == 422
    (error,) = response.json["errors"]
    assert (error["row"], error["line"], error["field"]) == (1, 3, "balance")
    assert response.json["error_count"] == 1


def invalid(row: int) -> dict:
    return {**EXAMPLE_REQUEST, "age": -row, "job_type": f"job {row}", "balance": "x", "nb_contact": "y"}


@pytest.mark.parametrize("form", ["json", "csv"])
def test_ten_thousand_invalid_rows_get_a_small_answer_with_the_count(client, model, form):
    rows = [invalid(row) for row in range(10_000)]
    if form == "json":
        response = client.post("/appetence/batch", json={"customers": rows})
        expected = 4 * 10_000
    else:
        lines = [
            "date,age,job_type,has_default,balance,has_housing_loan,nb_contact,nb_day_last_contact,"
            "nb_contact_last_campaign"
        ]
        lines += [f"2008-06-0{row % 9 + 1},abc,x,maybe,x,oui,y,-1,0" for row in range(10_000)]
        response = client.post("/appetence/batch", data="\n".join(lines), content_type="text/csv")
        expected = 4 * 10_000
    assert response.status_code == 422
    assert len(response.get_data()) < 64 * 1024
    body = json.loads(response.get_data())
    assert len(body["errors"]) == MAX_ERRORS_LISTED
    assert body["error_count"] == expected
    assert body["errors"][0]["row"] == 0 and body["errors"][-1]["row"] < 100
    assert model.seen == []
