"""`ReportLedger` over the `reported_outcome` table: volumes grouped by key and UTC day, and a key's
rows deleted in one statement (run by the jobs' role or the owner, never by the pods)."""

from datetime import date

import sqlalchemy as sa

from chaos.domain.outcome import Outcome
from chaos.domain.report_ledger import PurgedReports, ReportLedger, ReportVolume
from chaos.infrastructure.db.tables import KEY_ID, REPORTED_AT, reported_outcome
from chaos.infrastructure.db.unavailable import unavailable_on_outage

_DAY = sa.cast(sa.func.timezone("UTC", reported_outcome.c[REPORTED_AT]), sa.Date)
"""The UTC day a row was written: the day a key's daily limit counts it in."""


def _within(first: date | None, last: date | None) -> list[sa.ColumnElement[bool]]:
    return [
        condition
        for condition in (
            None if first is None else first <= _DAY,
            None if last is None else last >= _DAY,
        )
        if condition is not None
    ]


class SqlReportLedger(ReportLedger):
    def __init__(self, engine: sa.Engine):
        self.engine = engine

    def volumes(self, first: date, last: date) -> list[ReportVolume]:
        day = _DAY.label("day")
        key_id = reported_outcome.c[KEY_ID]
        outcome = reported_outcome.c.outcome
        query = (
            sa.select(
                key_id,
                day,
                sa.func.count().label("rows"),
                sa.func.count().filter(outcome == Outcome.SUBSCRIBED.value).label("subscribed"),
                sa.func.count().filter(outcome != Outcome.PENDING.value).label("resolved"),
            )
            .where(*_within(first, last))
            .group_by(key_id, day)
            .order_by(day, key_id.nulls_first())
        )
        with unavailable_on_outage(), self.engine.connect() as connection:
            rows = connection.execute(query).mappings().all()
        return [ReportVolume(**row) for row in rows]

    def purge(self, key_id: str, first: date | None, last: date | None) -> PurgedReports:
        deleted = (
            sa.delete(reported_outcome)
            .where(reported_outcome.c[KEY_ID] == key_id, *_within(first, last))
            .returning(reported_outcome.c.date)
            .cte("deleted")
        )
        summary = sa.select(sa.func.count(), sa.func.min(deleted.c.date), sa.func.max(deleted.c.date))
        with unavailable_on_outage(), self.engine.begin() as connection:
            rows, first_contact, last_contact = connection.execute(summary).one()
        return PurgedReports(rows, first_contact, last_contact)
