"""The request path's engine gives up on a stalled link within its deadline, then heals by itself."""

import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from chaos.domain.repositories import IndicatorsUnavailable
from chaos.infrastructure.db.engine import answer_deadline_seconds, create_engine
from chaos.infrastructure.db.socio_eco_repository import SqlSocioEcoRepository
from tests.support.resilience import FAST_FAILING, SERVING_ROLE


@pytest.fixture
def through_proxy(resilience_database, proxy):
    host, port = proxy.address
    settings = resilience_database.settings.model_copy(
        update={"host": host, "port": port, "user": SERVING_ROLE, **FAST_FAILING}
    )
    engine = create_engine(settings, request_path=True)
    yield settings, engine
    engine.dispose()


def count_months(engine: sa.Engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(sa.text("SELECT count(*) FROM socio_eco"))


@pytest.mark.parametrize("fault", ["stall", "latency"])
def test_a_stalled_or_slow_link_fails_within_the_deadline_and_the_pool_heals(through_proxy, proxy, fault):
    settings, engine = through_proxy
    months = count_months(engine)  # a pooled connection exists: the next statement is what meets the fault
    if fault == "stall":
        proxy.stall()
    else:
        proxy.add_latency(answer_deadline_seconds(settings) + 1)

    started = time.monotonic()
    with pytest.raises(sa.exc.OperationalError):
        count_months(engine)
    elapsed = time.monotonic() - started
    # the statement meets the deadline (the request path has no pre-ping); nothing waits longer
    assert elapsed < answer_deadline_seconds(settings) + settings.connect_timeout_seconds + 1

    proxy.resume()
    proxy.add_latency(0)
    assert count_months(engine) == months


@pytest.mark.parametrize("fault", ["stall", "latency"])
def test_the_socio_eco_read_on_the_driver_cursor_meets_the_same_deadline(through_proxy, proxy, fault):
    """The read of every request with the cache off runs beneath SQLAlchemy's Connection: the severed
    statement, its one retry on a renewed pool and the outage error hold there too."""
    settings, engine = through_proxy
    repository = SqlSocioEcoRepository(engine)
    _, newest = repository.known_range()
    day = newest + timedelta(days=1)
    indicators = repository.as_of(day)
    assert indicators is not None
    if fault == "stall":
        proxy.stall()
    else:
        proxy.add_latency(answer_deadline_seconds(settings) + 1)

    started = time.monotonic()
    with pytest.raises(IndicatorsUnavailable):
        repository.as_of(day)
    elapsed = time.monotonic() - started
    assert elapsed < answer_deadline_seconds(settings) + settings.connect_timeout_seconds + 1

    proxy.resume()
    proxy.add_latency(0)
    assert repository.as_of(day) == indicators
