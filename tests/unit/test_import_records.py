"""Row normalisation and every reject reason of the CSV import, plus the rejects file."""

import csv
from datetime import date
from pathlib import Path

import pytest

from chaos.domain.outcome import Outcome
from chaos.infrastructure.importing import MARKETING, SOCIO_ECO, records
from chaos.infrastructure.importing.header import plan
from chaos.infrastructure.importing.records import check
from chaos.infrastructure.importing.rejects import write_rejects
from chaos.infrastructure.importing.source import CsvSource

MARKETING_HEADER = [
    "",
    "date",
    "age",
    "job",
    "relation",
    "education",
    "defaut",
    "balance",
    "pret_immo",
    "pret_perso",
    "contact",
    "duree_contact",
    "nb_contact",
    "nb_j_dernier_contact",
    "nb_contact_derniere_campagne",
    "resultat_derniere_campagne",
    "statut",
]
GOOD = ["7", "2008-05-05", "58", "Manager  ", "Marié", "Tertiaire", "No", "2143", "Yes", "", "", "261", "1",
        "-1", "0", "", Outcome.SUBSCRIBED.value]  # fmt: skip


def source(records, header=MARKETING_HEADER) -> CsvSource:
    numbered = [(line, fields) for line, fields in enumerate(records, start=2)]
    return CsvSource(Path("export.csv"), "utf-8", ";", list(header), numbered, sha256="0" * 64)


def check_marketing(*records, header=MARKETING_HEADER):
    data = source(records, header)
    return check(data, plan(data, MARKETING))


def changed(**cells) -> list[str]:
    row = list(GOOD)
    for heading, text in cells.items():
        row[MARKETING_HEADER.index(heading)] = text
    return row


def test_a_good_row_is_normalised():
    checked = check_marketing(
        GOOD, changed(**{"": "8", "age": "123", "statut": "Refus", "date": "06-05-2008"})
    )
    assert checked.rejected == []
    first, second = checked.rows
    assert first == {
        "id": 7,
        "date": date(2008, 5, 5),
        "age": 58,
        "job_type": "Manager",
        "status": "Marié",
        "education": "Tertiaire",
        "has_default": False,
        "balance": 2143,
        "has_housing_loan": True,
        "has_perso_loan": None,
        "contact": None,
        "duration_contact": 261,
        "nb_contact": 1,
        "nb_day_last_contact": -1,
        "nb_contact_last_campaign": 0,
        "result_last_campaign": None,
        "outcome": Outcome.SUBSCRIBED.value,
        "subscription": True,
    }
    assert (second["id"], second["age"], second["date"]) == (8, None, date(2008, 5, 6))
    assert (second["outcome"], second["subscription"]) == ("Refus", False)


def test_a_pending_call_has_no_label_and_an_unknown_status_is_refused():
    checked = check_marketing(
        GOOD, changed(**{"": "8", "statut": " En Attente "}), changed(**{"": "9", "statut": "Rappel"})
    )
    assert [(row["id"], row["outcome"], row["subscription"]) for row in checked.rows] == [
        (7, "Souscrit", True),
        (8, "En Attente", None),
    ]
    (rejected,) = checked.rejected
    assert rejected.reason.startswith("statut: 'Rappel' is not a status (one of 'Souscrit', 'Refus'")


def test_without_index_column_ids_are_data_row_positions():
    checked = check_marketing(GOOD[1:], GOOD[1:], header=MARKETING_HEADER[1:])
    assert [row["id"] for row in checked.rows] == [1, 2]


def test_a_canonical_subscription_column_must_agree_with_the_status():
    header = [*MARKETING_HEADER, "subscription"]
    pending = changed(**{"": "8", "statut": "En Attente"})
    refused = changed(**{"": "9"})
    checked = check_marketing([*GOOD, "yes"], [*pending, "no"], [*refused, "no"], header=header)
    assert [(row["id"], row["subscription"]) for row in checked.rows] == [(7, True)]
    assert [row.reason for row in checked.rejected] == [
        "subscription: False contradicts statut 'En Attente' (expected None)",
        "subscription: False contradicts statut 'Souscrit' (expected True)",
    ]


@pytest.mark.parametrize("text", ["123", "123.0"])
def test_the_unknown_age_sentinel_is_read_as_unknown_though_out_of_range(text):
    checked = check_marketing(changed(age=text))
    assert [row["age"] for row in checked.rows] == [None]


@pytest.mark.parametrize(
    ("cells", "reason", "kind"),
    [
        (
            {"date": "31/13/2008"},
            "date: '31/13/2008' is not a date (YYYY-MM-DD or DD-MM-YYYY)",
            "date: is not a date",
        ),
        ({"date": ""}, "date: missing", "date: missing"),
        ({"age": "abc"}, "age: 'abc' is not an integer", "age: is not an integer"),
        ({"age": "-3"}, "age: '-3' is out of range [18, 120]", "age: is out of range [18, 120]"),
        ({"age": "17"}, "age: '17' is out of range [18, 120]", "age: is out of range [18, 120]"),
        ({"age": "121"}, "age: '121' is out of range [18, 120]", "age: is out of range [18, 120]"),
        ({"balance": "???"}, "balance: missing", "balance: missing"),
        ({"balance": "12.5"}, "balance: '12.5' is not an integer", "balance: is not an integer"),
        (
            {"nb_contact": "0"},
            "nb_contact: '0' is out of range [1, 1000]",
            "nb_contact: is out of range [1, 1000]",
        ),
        ({"nb_contact": "1001"}, "nb_contact: '1001' is out of range", "nb_contact: is out of range"),
        ({"balance": "100000001"}, "balance: '100000001' is out of range", "balance: is out of range"),
        (
            {"nb_j_dernier_contact": "-2"},
            "nb_j_dernier_contact: '-2' is out of range [-1, 10000]",
            "nb_j_dernier_contact: is out of range",
        ),
        (
            {"nb_contact_derniere_campagne": "1001"},
            "nb_contact_derniere_campagne: '1001' is out of range [0, 1000]",
            "nb_contact_derniere_campagne: is out of range",
        ),
        ({"defaut": "peut-être"}, "defaut: 'peut-être' is not yes/no (1, oui", "defaut: is not yes/no"),
        ({"statut": " "}, "statut: missing", "statut: missing"),
        ({"": "x"}, "(row index): 'x' is not an integer", "(row index): is not an integer"),
    ],
)
def test_each_bad_value_is_rejected_with_its_reason(cells, reason, kind):
    checked = check_marketing(GOOD, changed(**{"": "8", **cells}))
    assert [row["id"] for row in checked.rows] == [7]
    (rejected,) = checked.rejected
    assert (rejected.line, rejected.reason[: len(reason)]) == (3, reason)
    assert next(iter(checked.reasons()))[: len(kind)] == kind


def test_all_problems_of_a_row_are_reported_and_counted():
    checked = check_marketing(changed(age="old", balance=""), changed(**{"": "8", "age": "older"}))
    assert [row.reason for row in checked.rejected] == [
        "age: 'old' is not an integer; balance: missing",
        "age: 'older' is not an integer",
    ]
    assert checked.reasons() == {"age: is not an integer": 2, "balance: missing": 1}
    assert checked.read == 2


def test_wrong_field_count_and_duplicate_ids_are_rejected():
    checked = check_marketing(GOOD, GOOD[:5], changed(age="40"))
    assert [row["id"] for row in checked.rows] == [7]
    assert [(row.line, row.reason) for row in checked.rejected] == [
        (3, "row: has 5 fields, the header has 17"),
        (4, "(row index): 7 already on line 2"),
    ]
    assert checked.reasons() == {"row: wrong number of fields": 1, "(row index): duplicate in the file": 1}


def test_a_long_file_reports_its_progress_every_so_many_records(monkeypatch):
    """What `chaos db import` prints as it checks a large export: rows read and rejected so far."""
    monkeypatch.setattr(records, "PROGRESS_ROWS", 2)
    reported: list[str] = []
    rows = [changed(**{"": str(index)}) for index in range(5)]
    rows[2] = changed(**{"": "2", "age": "old"})
    data = source(rows)
    checked = check(data, plan(data, MARKETING), reported.append)
    assert checked.read == 5
    assert reported == [
        "checking export.csv: 2 rows read, 0 rejected",
        "checking export.csv: 4 rows read, 1 rejected",
    ]


def test_socio_eco_rows_map_unknown_months_to_null_and_reject_bad_dates():
    header = ["", "date", "tx_var_emploi", "idx_prix_conso", "idx_conf_conso"]
    records = [
        ["0", "31-05-2008", "1.1", "93.994", "-36.4"],
        ["1", "30-09-2008", "???", "???", "???"],
        ["2", "2008-10-15", "1", "2", "3"],
        ["3", "31-05-2008", "1", "2", "3"],
        ["4", "30-11-2008", "1", "x", "3"],
    ]
    data = source(records, header)
    checked = check(data, plan(data, SOCIO_ECO))
    assert checked.rows == [
        {
            "date": date(2008, 5, 31),
            "employment_variation_rate": 1.1,
            "idx_consumer_price": 93.994,
            "idx_consumer_confidence": -36.4,
        },
        {
            "date": date(2008, 9, 30),
            "employment_variation_rate": None,
            "idx_consumer_price": None,
            "idx_consumer_confidence": None,
        },
    ]
    assert [row.reason for row in checked.rejected] == [
        "date: '2008-10-15' is not the last day of a month",
        "date: 2008-05-31 already on line 2",
        "idx_prix_conso: 'x' is not a number",
    ]


def test_rejects_file_keeps_the_original_fields_after_line_and_reason(tmp_path):
    data = source([GOOD, changed(**{"": "8", "age": "abc"}), GOOD[:3]])
    checked = check(data, plan(data, MARKETING))
    path = write_rejects(data, checked.rejected, tmp_path / "rejects")
    assert path.parent == tmp_path / "rejects"
    with path.open(encoding="utf-8", newline="") as written:
        rows = list(csv.reader(written, delimiter=";"))
    assert rows == [
        ["line", "reason", *MARKETING_HEADER],
        ["3", "age: 'abc' is not an integer", *changed(**{"": "8", "age": "abc"})],
        ["4", "row: has 3 fields, the header has 17", *GOOD[:3]],
    ]
