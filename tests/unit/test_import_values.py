"""Cell parsers of the CSV import: what each accepts, and the problem it names otherwise."""

import re
from datetime import date

import pytest

from chaos.infrastructure.importing import values
from chaos.infrastructure.importing.values import InvalidValue


@pytest.mark.parametrize(("text", "expected"), [("  Manager  ", "Manager"), ("???", None), ("   ", None)])
def test_clean_trims_and_maps_unknown_tokens_to_none(text, expected):
    assert values.clean(text) == expected


def test_label_refuses_what_postgresql_text_cannot_hold():
    assert values.label("Col bleu") == "Col bleu"
    with pytest.raises(InvalidValue, match="contains a NUL character"):
        values.label("Col\x00bleu")


@pytest.mark.parametrize("text", ["=1+1", "+33", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)", '=HYPERLINK("x")'])
def test_label_refuses_what_a_spreadsheet_would_run(text):
    with pytest.raises(InvalidValue, match=re.escape(f"starts with {text[0]!r}, which a spreadsheet would")):
        values.label(text)


@pytest.mark.parametrize(("text", "expected"), [("42", 42), ("-1", -1), ("+7", 7), ("12.0", 12)])
def test_integer_accepts_whole_numbers(text, expected):
    assert values.integer(-5, 100)(text) == expected


@pytest.mark.parametrize("text", ["abc", "1.5", "1_000", "١٢", "1e3", "--1"])
def test_integer_rejects_other_text(text):
    with pytest.raises(InvalidValue, match="is not an integer"):
        values.integer(-5, 100)(text)


def test_integer_enforces_its_bounds():
    with pytest.raises(InvalidValue, match=r"is out of range \[0, 10\]"):
        values.integer(0, 10)("11")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("93.994", 93.994), ("-36.4", -36.4), ("93,994", 93.994), (".5", 0.5), ("1e-2", 0.01), ("7", 7.0)],
)
def test_number_accepts_decimal_point_or_comma(text, expected):
    assert values.number(text) == expected


@pytest.mark.parametrize("text", ["nan", "inf", "1.2.3", "abc", "1 000"])
def test_number_rejects_non_numbers(text):
    with pytest.raises(InvalidValue, match="is not a number"):
        values.number(text)


@pytest.mark.parametrize("text", ["2008-05-31", "31-05-2008", "31/05/2008"])
def test_day_reads_iso_and_day_first_dates(text):
    assert values.day(text) == date(2008, 5, 31)


@pytest.mark.parametrize("text", ["31/13/2008", "2008-02-30", "yesterday", "05-31-2008"])
def test_day_rejects_impossible_dates(text):
    with pytest.raises(InvalidValue, match="is not a date"):
        values.day(text)


def test_month_end_requires_the_last_day_of_the_month():
    assert values.month_end("29-02-2008") == date(2008, 2, 29)
    with pytest.raises(InvalidValue, match="is not the last day of a month"):
        values.month_end("2008-05-15")


@pytest.mark.parametrize(("text", "expected"), [("Yes", True), ("no", False), ("OUI", True), ("0", False)])
def test_flag_uses_the_domain_vocabulary(text, expected):
    assert values.flag(text) is expected


def test_flag_rejects_anything_else():
    with pytest.raises(InvalidValue, match=r"is not yes/no \(1, oui, true, yes / 0, false, no, non\)"):
        values.flag("maybe")


def test_age_sentinel_means_unknown_whatever_the_bounds():
    assert values.age(18, 120)("123") is None
    assert values.age(18, 120)("58") == 58
    with pytest.raises(InvalidValue, match=r"out of range \[18, 120\]"):
        values.age(18, 120)("121")
