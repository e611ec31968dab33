"""The real bank export imports with every row accounted for, a re-import changes nothing, a smaller
export replaces it, and it never sits beside demo data."""

import csv
import hashlib
from datetime import date

import pytest
import sqlalchemy as sa

from chaos.domain.outcome import Outcome
from chaos.infrastructure.config.settings import ImportSettings
from chaos.infrastructure.db import lineage
from chaos.infrastructure.db.tables import marketing, socio_eco
from chaos.infrastructure.demo.seeding import seed_demo
from chaos.infrastructure.demo.store import RealDataPresent
from chaos.infrastructure.importing import MARKETING, SOCIO_ECO, import_csv

EXPORT_ROWS = 45_136
SOCIO_ECO_MONTHS = 30


def import_export(engine, shared_data, tmp_path):
    options = {"max_reject_ratio": ImportSettings().max_reject_ratio, "rejects_dir": tmp_path}
    return (
        import_csv(engine, shared_data / "socio_eco.csv", SOCIO_ECO, **options),
        import_csv(engine, shared_data / "data.csv", MARKETING, **options),
    )


def raw_rows(path):
    with path.open(encoding="latin-1", newline="") as export:
        return list(csv.DictReader(export, delimiter=";"))


def fingerprint(engine, table: sa.Table) -> tuple[int, str, str]:
    """Row count, a digest of the contents and one of the row versions (xmin)."""
    key = table.primary_key.columns.values()[0].name
    query = sa.text(
        f"SELECT count(*), md5(string_agg(t::text, '|' ORDER BY {key})), "
        f"md5(string_agg(t.xmin::text, '|' ORDER BY {key})) FROM {table.name} t"
    )
    with engine.connect() as connection:
        return tuple(connection.execute(query).one())


def scalar(engine, query):
    with engine.connect() as connection:
        return connection.execute(query).scalar_one()


def test_every_row_is_accounted_for_and_reimport_changes_nothing(engine, shared_data, tmp_path):
    socio, contacts = import_export(engine, shared_data, tmp_path)
    raw = raw_rows(shared_data / "data.csv")
    assert contacts.read == len(raw) == EXPORT_ROWS
    assert contacts.written.total + contacts.rejected == EXPORT_ROWS
    assert scalar(engine, sa.select(sa.func.count()).select_from(marketing)) == contacts.written.total
    if contacts.rejects_path:
        with contacts.rejects_path.open(encoding="utf-8", newline="") as rejects:
            reasons = [row["reason"] for row in csv.DictReader(rejects, delimiter=";")]
        assert len(reasons) == contacts.rejected
        assert all(reasons)

    subscribed = sum(row["statut"].strip() == Outcome.SUBSCRIBED for row in raw)
    assert scalar(engine, sa.select(sa.func.count()).where(marketing.c.subscription)) == subscribed
    unknown_age = sum(row["age"] == "123" for row in raw)
    assert scalar(engine, sa.select(sa.func.count()).where(marketing.c.age.is_(None))) == unknown_age
    assert (
        scalar(
            engine,
            sa.select(sa.func.count()).where(marketing.c.job_type != sa.func.trim(marketing.c.job_type)),
        )
        == 0
    )

    raw_months = raw_rows(shared_data / "socio_eco.csv")
    unknown_months = {
        date(*reversed([int(part) for part in row["date"].split("-")]))
        for row in raw_months
        if row["tx_var_emploi"] == "???"
    }
    assert (socio.read, socio.rejected, len(raw_months)) == (SOCIO_ECO_MONTHS, 0, SOCIO_ECO_MONTHS)
    null_months = sa.select(socio_eco.c.date).where(socio_eco.c.employment_variation_rate.is_(None))
    with engine.connect() as connection:
        assert set(connection.execute(null_months).scalars()) == unknown_months
    assert len(unknown_months) == 5

    before = fingerprint(engine, marketing), fingerprint(engine, socio_eco)
    again = import_export(engine, shared_data, tmp_path)
    assert [report.written.unchanged for report in again] == [socio.written.total, contacts.written.total]
    assert [report.rejected for report in again] == [socio.rejected, contacts.rejected]
    assert (fingerprint(engine, marketing), fingerprint(engine, socio_eco)) == before


def test_an_extract_imported_after_the_full_export_leaves_exactly_its_rows(engine, shared_data, tmp_path):
    import_export(engine, shared_data, tmp_path)
    lines = (shared_data / "data.csv").read_bytes().splitlines(keepends=True)
    extract = tmp_path / "extract.csv"
    extract.write_bytes(b"".join(lines[:1001]))
    options = {"max_reject_ratio": ImportSettings().max_reject_ratio, "rejects_dir": tmp_path}
    report = import_csv(engine, extract, MARKETING, **options)
    assert scalar(engine, sa.select(sa.func.count()).select_from(marketing)) == 1000
    assert report.written.removed == EXPORT_ROWS - 1000
    imports = [(e.file_name, e.sha256) for e in lineage.history(engine) if e.table_name == "marketing"]
    assert imports == [
        ("data.csv", hashlib.sha256(b"".join(lines)).hexdigest()),
        ("extract.csv", hashlib.sha256(extract.read_bytes()).hexdigest()),
    ]


def test_the_real_export_into_a_demo_database_leaves_only_real_rows(engine, shared_data, tmp_path):
    seed_demo(engine, rows=2000, seed=4, today=date(2026, 3, 15))
    socio, _ = import_export(engine, shared_data, tmp_path)
    assert socio.written.demo_removed == {"socio_eco": 29, "marketing": 2000}  # the months over by then
    assert scalar(engine, sa.select(sa.func.count()).select_from(socio_eco)) == SOCIO_ECO_MONTHS
    for table in (socio_eco, marketing):
        assert scalar(engine, sa.select(sa.func.count()).where(table.c.demo)) == 0
    before = fingerprint(engine, socio_eco), fingerprint(engine, marketing)
    with pytest.raises(RealDataPresent, match=f"{SOCIO_ECO_MONTHS} socio_eco, {EXPORT_ROWS} marketing rows"):
        seed_demo(engine, rows=2000, seed=4)
    assert (fingerprint(engine, socio_eco), fingerprint(engine, marketing)) == before
