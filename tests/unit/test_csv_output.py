"""CSV written by chaos opens in a spreadsheet without running anything (OWASP's CSV injection rules)."""

import csv
import io

import pytest

from chaos.infrastructure.csv_output import SafeWriter, neutralised


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+33 6", "'+33 6"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Technicien", "Technicien"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_a_cell_a_spreadsheet_would_evaluate_is_written_as_text(cell, written):
    assert neutralised(cell) == written


@pytest.mark.parametrize("number", ["-1", "-250", "+3", "-0.25", "-1e-05", "-.5", 0.05, -1, None, True])
def test_numbers_and_other_values_are_left_as_they_are(number):
    assert neutralised(number) == number


def test_the_writer_neutralises_every_cell_of_every_row():
    output = io.StringIO()
    SafeWriter(output, delimiter=";").writerows([["=1", "-1", "ok"], ["@x", "-x", ""]])
    assert list(csv.reader(io.StringIO(output.getvalue()), delimiter=";")) == [
        ["'=1", "-1", "ok"],
        ["'@x", "'-x", ""],
    ]
