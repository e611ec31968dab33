"""Reading exports: encoding and separator detection, header matching French or canonical names."""

from pathlib import Path

import pytest

from chaos.infrastructure.importing import MARKETING, SOCIO_ECO
from chaos.infrastructure.importing.header import plan
from chaos.infrastructure.importing.source import MAX_LINE_CHARS, ImportFileError, open_csv, read_csv

FRENCH_MARKETING = (
    ";date;age;job;relation;education;defaut;balance;pret_immo;pret_perso;contact;duree_contact;nb_contact;"
    "nb_j_dernier_contact;nb_contact_derniere_campagne;resultat_derniere_campagne;statut"
)
CANONICAL_MARKETING = ",".join(column.name for column in MARKETING.columns)


def write(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "export.csv"
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize(
    ("encoding", "prefix", "detected"),
    [("latin-1", "", "latin-1"), ("utf-8", "", "utf-8"), ("utf-8", "\ufeff", "utf-8")],
)
def test_encoding_is_utf8_when_valid_else_latin1(tmp_path, encoding, prefix, detected):
    path = write(tmp_path, f"{prefix}date;job\n2008-05-05;Retraité\n", encoding)
    source = read_csv(path)
    assert source.encoding == detected
    assert source.header == ["date", "job"]
    assert source.records == [(2, ["2008-05-05", "Retraité"])]


@pytest.mark.parametrize(("separator", "line"), [(";", "a;b,c;d"), (",", "a,b;c,d")])
def test_separator_is_the_one_the_header_uses_most(tmp_path, separator, line):
    assert read_csv(write(tmp_path, f"{line}\n")).delimiter == separator


def test_blank_lines_are_skipped_and_line_numbers_kept(tmp_path):
    source = read_csv(write(tmp_path, 'a,b\n1,2\n\n3,"multi\nline"\n5,6\n'))
    assert source.records == [(2, ["1", "2"]), (5, ["3", "multi\nline"]), (6, ["5", "6"])]


@pytest.mark.parametrize(("text", "problem"), [("", "no header line"), ("date\n", "has no separator")])
def test_unusable_files_are_refused(tmp_path, text, problem):
    with pytest.raises(ImportFileError, match=problem):
        read_csv(write(tmp_path, text))


def test_records_are_read_as_they_are_iterated():
    source = open_csv(b'a,b\n1,2\n3,"never closed\n', Path("body"))
    records = iter(source.records)
    assert next(records) == (2, ["1", "2"])  # the malformed record after it is not read yet
    with pytest.raises(ImportFileError, match="malformed CSV on line 3"):
        next(records)


def test_a_line_longer_than_any_export_row_is_refused(tmp_path):
    with pytest.raises(ImportFileError, match=f"line 2 is longer than {MAX_LINE_CHARS} characters"):
        read_csv(write(tmp_path, "a,b\n" + "," * (MAX_LINE_CHARS + 1) + "\n"))


def test_thousands_of_unknown_columns_get_a_short_message(tmp_path):
    header = ",".join(["date", *(f"extra{n}" for n in range(5_000))])
    with pytest.raises(ImportFileError, match="'extra9' and 4990 more for") as refused:
        plan(read_csv(write(tmp_path, header + "\n")), MARKETING)
    assert len(str(refused.value)) < 2_000


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(ImportFileError, match="cannot read"):
        read_csv(tmp_path / "absent.csv")


def headings(tmp_path, header: str, layout) -> dict[str, str]:
    """Canonical column -> heading as the file spells it, per the plan."""
    result = plan(read_csv(write(tmp_path, header + "\n")), layout)
    return {field.column.name: field.heading for field in result.fields}


def test_french_header_with_unnamed_index_maps_every_column(tmp_path):
    mapped = headings(tmp_path, FRENCH_MARKETING, MARKETING)
    assert mapped["id"] == "(row index)"
    assert mapped["job_type"] == "job"
    assert mapped["nb_day_last_contact"] == "nb_j_dernier_contact"
    assert mapped["outcome"] == "statut"
    assert set(mapped) == {column.name for column in MARKETING.columns} - {"subscription"}


def test_canonical_header_maps_to_itself(tmp_path):
    mapped = headings(tmp_path, CANONICAL_MARKETING, MARKETING)
    assert mapped == {column.name: column.name for column in MARKETING.columns}


def test_headers_are_trimmed_and_case_insensitive_and_may_mix_languages(tmp_path):
    header = FRENCH_MARKETING.replace(";job;", "; JOB_TYPE ;").replace(";statut", ";Subscription;outcome")
    mapped = headings(tmp_path, header, MARKETING)
    assert mapped["job_type"] == "JOB_TYPE"
    assert mapped["subscription"] == "Subscription"


def test_without_index_column_the_key_is_the_row_number(tmp_path):
    result = plan(read_csv(write(tmp_path, FRENCH_MARKETING[1:] + "\n")), MARKETING)
    assert result.key_is_row_number
    assert "id" not in {field.column.name for field in result.fields}


def test_subscription_is_derived_from_statut_which_becomes_required(tmp_path):
    result = plan(read_csv(write(tmp_path, FRENCH_MARKETING + "\n")), MARKETING)
    assert set(result.derived) == {"subscription"}
    assert next(f for f in result.fields if f.column.name == "outcome").column.required


def test_socio_eco_ignores_the_unnamed_index(tmp_path):
    mapped = headings(tmp_path, ";date;tx_var_emploi;idx_prix_conso;idx_conf_conso", SOCIO_ECO)
    assert mapped == {
        "date": "date",
        "employment_variation_rate": "tx_var_emploi",
        "idx_consumer_price": "idx_prix_conso",
        "idx_consumer_confidence": "idx_conf_conso",
    }


@pytest.mark.parametrize(
    ("header", "problem"),
    [
        (FRENCH_MARKETING + ";colour", r"unknown column\(s\) 'colour' for marketing"),
        (FRENCH_MARKETING.replace(";job;", ";job;job_type;"), "columns 'job' and 'job_type' both give"),
        (FRENCH_MARKETING.replace(";balance", ""), r"missing column\(s\) for marketing: balance"),
        (FRENCH_MARKETING.replace(";statut", ""), r"statut \(outcome\), subscription"),
        ("date;age;;job", "unknown column"),
    ],
)
def test_bad_headers_are_refused_with_the_columns_named(tmp_path, header, problem):
    with pytest.raises(ImportFileError, match=problem):
        plan(read_csv(write(tmp_path, header + "\n")), MARKETING)
