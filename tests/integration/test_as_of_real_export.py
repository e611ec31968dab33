"""The as-of rule agrees in all its forms on the real export: SQL lookups, `pick`, `pick_indices`."""

from datetime import date, timedelta

import numpy as np
import pytest
import sqlalchemy as sa

from chaos.domain import as_of
from chaos.domain.socio_eco import INDICATORS, SocioEcoIndicators
from chaos.infrastructure.db.socio_eco_repository import SqlSocioEcoRepository
from chaos.infrastructure.db.tables import socio_eco
from chaos.infrastructure.importing import MARKETING, SOCIO_ECO, import_csv
from chaos.infrastructure.importing.header import plan
from chaos.infrastructure.importing.records import check
from chaos.infrastructure.importing.source import read_csv


@pytest.fixture
def months(engine, shared_data, tmp_path) -> list[SocioEcoIndicators]:
    """The real socio_eco export, imported, then read back as the domain sees it."""
    import_csv(engine, shared_data / "socio_eco.csv", SOCIO_ECO, max_reject_ratio=0, rejects_dir=tmp_path)
    with engine.connect() as connection:
        query = sa.select(*socio_eco.c["date", *INDICATORS])
        return [SocioEcoIndicators(*row) for row in connection.execute(query)]


def contact_dates(shared_data) -> list[date]:
    source = read_csv(shared_data / "data.csv")
    return sorted({row["date"] for row in check(source, plan(source, MARKETING)).rows})


def assert_forms_agree(engine, months, days) -> dict[date, SocioEcoIndicators | None]:
    repository = SqlSocioEcoRepository(engine)
    many = repository.as_of_many(days)
    indices = as_of.pick_indices(months, np.array(days, dtype="datetime64[D]"))
    for day, index in zip(days, indices, strict=True):
        expected = as_of.pick(months, day)
        assert repository.as_of(day) == expected, day
        assert many[day] == expected, day
        assert (months[index] if index >= 0 else None) == expected, day
    return many


def test_every_contact_date_of_the_export(engine, months, shared_data):
    """Contacts of the first month precede every row; all others get a row dated before the call."""
    days = contact_dates(shared_data)
    assert len(days) > 500
    picked = assert_forms_agree(engine, months, days)
    first = min(row.date for row in months if row.is_complete)
    assert all(picked[day] is None for day in days if day <= first)
    assert all(picked[day].date < day for day in days if day > first)
    assert sum(day <= first for day in days) > 0


def test_edges_before_the_first_month_in_missing_months_and_after_the_last(engine, months):
    first = min(row.date for row in months)
    last = max(row.date for row in months)
    missing = sorted(row.date for row in months if not row.is_complete)
    assert missing
    before = [first, first.replace(day=1), date(1999, 1, 1)]
    after = [last + timedelta(days=1), last + timedelta(days=400)]
    in_missing = [day for month_end in missing for day in (month_end.replace(day=1), month_end)]
    picked = assert_forms_agree(engine, months, before + in_missing + after)
    assert [picked[day] for day in before] == [None, None, None]
    for day in in_missing:
        assert picked[day].date < day.replace(day=1)
        assert picked[day].is_complete
    assert {picked[day].date for day in after} == {max(row.date for row in months if row.is_complete)}
