"""seed_demo on a real PostgreSQL: the tables hold the demo rows, marked as demo, seeding again changes
nothing, and imported rows are never replaced unless forced."""

from datetime import date

import pytest
import sqlalchemy as sa

from chaos.infrastructure.db import lineage
from chaos.infrastructure.db.tables import marketing, socio_eco
from chaos.infrastructure.demo.seeding import seed_demo
from chaos.infrastructure.demo.store import RealDataPresent

TODAY = date(2026, 3, 15)


def content(engine):
    with engine.connect() as connection:
        return (
            connection.execute(sa.select(marketing).order_by(marketing.c.id)).all(),
            connection.execute(sa.select(socio_eco).order_by(socio_eco.c.date)).all(),
        )


def test_seeding_fills_both_tables_and_reports_them(engine):
    summary = seed_demo(engine, rows=3000, seed=5, today=TODAY)
    contacts, months = content(engine)
    assert len(contacts) == summary.marketing_rows == 3000
    assert len(months) == summary.socio_eco_months == 29  # the 30 months of contacts but March, not over
    assert months[-1].date == date(2026, 2, 28)
    assert summary.unknown_months == sum(row.idx_consumer_price is None for row in months) == 5
    assert summary.last_date == max(row.date for row in contacts) < TODAY
    assert summary.subscription_rate == pytest.approx(
        sum(row.subscription is True for row in contacts) / 3000
    )
    assert summary.replaced == {"marketing": 0, "socio_eco": 0}
    assert "3000 contacts" in summary.describe()


def test_seeding_twice_leaves_the_same_rows(engine):
    seed_demo(engine, rows=2000, seed=9, today=TODAY)
    first = content(engine)
    again = seed_demo(engine, rows=2000, seed=9, today=TODAY)
    assert content(engine) == first
    assert again.replaced == {"marketing": 2000, "socio_eco": 29}


def test_seeded_rows_are_marked_as_demo_and_recorded(engine):
    seed_demo(engine, rows=500, seed=1, today=TODAY)
    contacts, months = content(engine)
    assert all(row.demo for row in contacts) and all(row.demo for row in months)
    recorded = {(entry.table_name, entry.kind, entry.rows_new) for entry in lineage.history(engine)}
    assert recorded == {("marketing", "demo", 500), ("socio_eco", "demo", 29)}


def test_seeding_refuses_to_replace_rows_it_did_not_write_unless_forced(engine):
    with engine.begin() as connection:
        connection.execute(socio_eco.insert(), [{"date": date(2001, 1, 31)}])
    before = content(engine)
    with pytest.raises(RealDataPresent, match=r"1 socio_eco rows.*--force"):
        seed_demo(engine, rows=500, seed=1, today=TODAY)
    assert content(engine) == before
    summary = seed_demo(engine, rows=500, seed=1, today=TODAY, force=True)
    assert summary.replaced == {"marketing": 0, "socio_eco": 1}
    _, months = content(engine)
    assert months[0].date != date(2001, 1, 31)
