"""The freshness limit in the domain: single customers and campaign lists, every stale row named."""

from datetime import date

import pytest

from chaos.domain import freshness
from chaos.domain.campaign import score_campaign
from chaos.domain.customer import Customer
from chaos.domain.features import CUSTOMER_FEATURES
from chaos.domain.freshness import StaleIndicators
from chaos.domain.socio_eco import SocioEcoIndicators
from tests.fakes import FakeScoringModel, FixedCalibrations, InMemorySocioEcoRepository

MAY = SocioEcoIndicators(date(2008, 5, 31), 1.1, 93.994, -36.4)
JULY = SocioEcoIndicators(date(2008, 7, 31), 1.4, 93.918, -42.7)

NO_SHIFT = FixedCalibrations()


def customer(day: date) -> Customer:
    return Customer(day, dict.fromkeys(CUSTOMER_FEATURES))


def test_the_limit_is_inclusive_and_counted_in_days():
    repository = InMemorySocioEcoRepository([MAY])
    assert (
        customer(date(2008, 6, 30)).appetence(repository, FakeScoringModel(), NO_SHIFT, 30).socio_eco_date
        == MAY.date
    )
    with pytest.raises(StaleIndicators) as raised:
        customer(date(2008, 7, 1)).appetence(repository, FakeScoringModel(), NO_SHIFT, 30)
    (stale,) = raised.value.stale.values()
    assert (stale.socio_eco_date, stale.age_days) == (MAY.date, 31)
    assert (raised.value.max_age_days, raised.value.newest) == (30, MAY.date)


def test_no_limit_scores_whatever_the_age():
    repository = InMemorySocioEcoRepository([MAY])
    assert (
        customer(date(2030, 1, 1)).appetence(repository, FakeScoringModel(), NO_SHIFT).socio_eco_date
        == MAY.date
    )


def test_a_campaign_with_stale_rows_scores_the_others_and_says_why_each_stale_one_is_not():
    repository = InMemorySocioEcoRepository([MAY, JULY])
    model = FakeScoringModel()
    days = [date(2008, 8, 5), date(2008, 7, 20), date(2008, 9, 15), date(2008, 7, 1)]
    results = score_campaign([customer(day) for day in days], repository, model, NO_SHIFT, max_age_days=40)
    stale = {i: result for i, result in enumerate(results) if isinstance(result, StaleIndicators)}
    assert {i: result.stale[i].age_days for i, result in stale.items()} == {1: 50, 2: 46}
    assert all(result.newest == JULY.date for result in stale.values())
    assert "2008-07-20 are dated 2008-05-31, 50 days earlier;" in str(stale[1])
    assert [result.socio_eco_date for result in (results[0], results[3])] == [JULY.date, MAY.date]
    assert len(model.seen) == 2


def test_age_is_counted_from_the_row_date():
    assert freshness.age_days(date(2010, 10, 31), date(2026, 11, 29)) == 5873
