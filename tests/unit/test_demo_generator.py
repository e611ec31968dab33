"""The demo generator: deterministic, shaped like the real export, socio series up to this month."""

import calendar
from datetime import date

import pytest

from chaos.domain.features import RANGES
from chaos.domain.outcome import Outcome
from chaos.domain.socio_eco import INDICATORS
from chaos.infrastructure.demo.facts import (
    LABEL_SHARES,
    MISSING_RATES,
    OUTCOME_SHARES,
    TRUE_SHARES,
    UNKNOWN_SOCIO_MONTHS,
)
from chaos.infrastructure.demo.generator import generate

TODAY = date(2026, 2, 11)
ROWS = 20_000
TOLERANCE = 0.015
"""Four standard errors of a share estimated on ROWS contacts."""


@pytest.fixture(scope="module")
def demo():
    return generate(ROWS, seed=3, today=TODAY)


def share(rows, predicate) -> float:
    return sum(1 for row in rows if predicate(row)) / len(rows)


def test_same_seed_gives_the_same_rows_and_another_seed_other_rows(demo):
    assert generate(ROWS, seed=3, today=TODAY) == demo
    assert generate(ROWS, seed=4, today=TODAY).marketing != demo.marketing


def test_label_sets_are_those_of_the_real_export(demo):
    for feature, shares in LABEL_SHARES.items():
        assert {row[feature] for row in demo.marketing} - {None} == set(shares), feature
    assert {row["outcome"] for row in demo.marketing} == set(OUTCOME_SHARES)


def test_demo_customers_are_within_the_domain_ranges(demo):
    for name, (low, high) in RANGES.items():
        assert all(low <= row[name] <= high for row in demo.marketing if row[name] is not None), name


def test_shares_and_missing_rates_are_near_the_real_ones(demo):
    rows = demo.marketing
    for feature, shares in LABEL_SHARES.items():
        for label, expected in shares.items():
            assert share(rows, lambda r, f=feature, v=label: r[f] == v) == pytest.approx(
                expected, abs=TOLERANCE
            )
    for feature, expected in TRUE_SHARES.items():
        assert share(rows, lambda r, f=feature: r[f] is True) == pytest.approx(expected, abs=TOLERANCE)
    for feature, expected in MISSING_RATES.items():
        assert share(rows, lambda r, f=feature: r[f] is None) == pytest.approx(expected, abs=TOLERANCE)
    for outcome, expected in OUTCOME_SHARES.items():
        assert share(rows, lambda r, v=outcome: r["outcome"] == v) == pytest.approx(expected, abs=TOLERANCE)


def test_subscription_is_the_label_of_the_outcome_unknown_while_pending(demo):
    assert all(row["subscription"] == Outcome(row["outcome"]).subscribed for row in demo.marketing)
    assert any(row["subscription"] is None for row in demo.marketing)


def test_previous_campaign_fields_agree_as_in_the_real_export(demo):
    for row in demo.marketing:
        never_contacted = row["result_last_campaign"] is None
        assert (row["nb_day_last_contact"] == -1) == never_contacted
        assert (row["nb_contact_last_campaign"] == 0) == never_contacted


def test_unanswered_calls_last_zero_seconds(demo):
    assert all(row["duration_contact"] == 0 for row in demo.marketing if row["outcome"] == "Absent")


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def test_socio_series_ends_with_the_last_complete_month_with_the_real_unknown_months(demo):
    months = demo.socio_eco
    assert months[-1]["date"] == date(2026, 1, 31)  # February is not over on the 11th: not published
    assert all(months[-1][name] is not None for name in INDICATORS)
    unknown = [i for i, row in enumerate(months) if row["idx_consumer_price"] is None]
    assert unknown == list(UNKNOWN_SOCIO_MONTHS)
    assert [row["date"] for row in months] == sorted(month_end(row["date"]) for row in months)


@pytest.mark.parametrize(
    ("today", "newest"),
    [
        (date(2026, 3, 31), date(2026, 2, 28)),
        (date(2026, 4, 1), date(2026, 3, 31)),
        (date(2028, 1, 1), date(2027, 12, 31)),
    ],
)
def test_a_month_is_published_once_it_has_ended(today, newest):
    months = generate(200, seed=3, today=today).socio_eco
    assert months[-1]["date"] == newest < today  # so the indicators' age is never negative


def test_contacts_are_in_date_order_up_to_yesterday(demo):
    dates = [row["date"] for row in demo.marketing]
    assert dates == sorted(dates)
    assert dates[-1] < TODAY
    assert month_end(dates[0]) == demo.socio_eco[0]["date"]


def test_rows_must_be_positive():
    with pytest.raises(ValueError, match="at least 1"):
        generate(0)
