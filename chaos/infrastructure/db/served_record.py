"""`ServedRecord` over the `served_score` table: one multi-row INSERT per flush, reads per contact,
the retention purge."""

from collections.abc import Sequence
from dataclasses import asdict, fields
from datetime import date, datetime

import sqlalchemy as sa

from chaos.domain.served_record import ServedRecord, ServedScore
from chaos.infrastructure.db.tables import served_score
from chaos.infrastructure.db.unavailable import unavailable_on_outage

_NAMES = [field.name for field in fields(ServedScore)]
_COLUMNS = [served_score.c[name] for name in _NAMES]


class SqlServedRecord(ServedRecord):
    def __init__(self, engine: sa.Engine):
        self.engine = engine

    def append(self, scores: Sequence[ServedScore]) -> None:
        if not scores:
            return
        with unavailable_on_outage(), self.engine.begin() as connection:
            connection.execute(sa.insert(served_score), [asdict(score) for score in scores])

    def of_contact(self, contact_id: int, contact_date: date | None = None) -> list[ServedScore]:
        query = sa.select(*_COLUMNS).where(served_score.c.contact_id == contact_id)
        if contact_date is not None:
            query = query.where(served_score.c.contact_date == contact_date)
        query = query.order_by(served_score.c.served_at, served_score.c.id)
        with unavailable_on_outage(), self.engine.connect() as connection:
            rows = connection.execute(query).mappings().all()
        return [ServedScore(**row) for row in rows]

    def purge(self, served_before: datetime) -> int:
        with unavailable_on_outage(), self.engine.begin() as connection:
            result = connection.execute(
                sa.delete(served_score).where(served_score.c.served_at < served_before)
            )
        return result.rowcount
