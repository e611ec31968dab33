"""The TTL cache in front of the socio_eco read: bounded staleness, keyed by cutoff day, failures not kept."""

from datetime import date

import pytest

from chaos.domain.repositories import IndicatorsUnavailable
from chaos.domain.socio_eco import SocioEcoIndicators
from chaos.infrastructure.db.cached_socio_eco_repository import CachedSocioEcoRepository
from tests.fakes import InMemorySocioEcoRepository

MAY = SocioEcoIndicators(date(2008, 5, 31), 1.1, 93.994, -36.4)
REVISED_MAY = SocioEcoIndicators(date(2008, 5, 31), -0.2, 92.0, -40.0)
JUNE = SocioEcoIndicators(date(2008, 6, 30), 1.4, 94.465, -41.8)


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def inner():
    return InMemorySocioEcoRepository([MAY])


@pytest.fixture
def cached(inner, clock):
    return CachedSocioEcoRepository(inner, ttl_seconds=30, timer=clock)


def test_a_change_shows_once_the_ttl_has_passed(inner, cached, clock):
    assert cached.as_of(date(2008, 6, 10)) == MAY
    inner.rows = [REVISED_MAY]
    clock.now = 29
    assert cached.as_of(date(2008, 6, 10)) == MAY
    clock.now = 31
    assert cached.as_of(date(2008, 6, 10)) == REVISED_MAY


def test_contacts_of_one_day_share_one_read(inner, cached):
    for _ in range(5):
        cached.as_of(date(2008, 6, 10))
    assert inner.reads == 1


def test_the_key_follows_the_rule_not_the_month(inner, cached):
    """A row dated on the last day of May serves June 1st but not May 31st: the key is the day."""
    assert cached.as_of(date(2008, 5, 31)) is None
    assert cached.as_of(date(2008, 6, 1)) == MAY
    assert cached.as_of(date(2008, 6, 2), lag_days=1) == MAY
    assert cached.as_of(date(2008, 6, 1), lag_days=1) is None
    assert inner.reads == 2  # the last two share the cutoffs of the first two, whatever their lag


def test_batches_read_only_the_days_not_cached(inner, cached):
    inner.rows = [MAY, JUNE]
    cached.as_of(date(2008, 6, 3))
    found = cached.as_of_many([date(2008, 6, 3), date(2008, 7, 1), date(2008, 7, 9), date(2008, 5, 31)])
    assert found == {
        date(2008, 6, 3): MAY,
        date(2008, 7, 1): JUNE,
        date(2008, 7, 9): JUNE,
        date(2008, 5, 31): None,
    }
    assert inner.reads == 2
    assert cached.as_of_many([date(2008, 7, 1), date(2008, 5, 31)]) == {
        date(2008, 7, 1): JUNE,
        date(2008, 5, 31): None,
    }
    assert inner.reads == 2


def test_known_range_is_cached_too(inner, cached, clock):
    assert cached.known_range() == (MAY.date, MAY.date)
    inner.rows = [MAY, JUNE]
    assert cached.known_range() == (MAY.date, MAY.date)
    clock.now = 31
    assert cached.known_range() == (MAY.date, JUNE.date)


def test_an_outage_is_not_cached(inner, cached):
    inner.available = False
    with pytest.raises(IndicatorsUnavailable):
        cached.as_of(date(2008, 6, 10))
    inner.available = True
    assert cached.as_of(date(2008, 6, 10)) == MAY


def test_a_zero_ttl_is_refused_rather_than_silently_caching(inner):
    with pytest.raises(ValueError, match="positive TTL"):
        CachedSocioEcoRepository(inner, ttl_seconds=0)
