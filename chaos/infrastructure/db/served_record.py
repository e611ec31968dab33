"""`ServedRecord` over the `served_score` table: one COPY per flush, reads per contact, the retention
purge.

The write runs in each serving worker's flushing thread, so its client CPU is the worker's and its
GIL is the requests'. A multi-row INSERT through SQLAlchemy cost about 90 µs of CPU a row (a
parameter dict per row, then the driver's quoting of every value) and held the GIL for the whole
batch; COPY's text form costs about a tenth of it, and its rows are formatted as psycopg2 reads them,
a few kilobytes at a time, the GIL released while each piece is sent, so a request waits at most
that long for it.
"""

from collections.abc import Sequence
from contextlib import closing
from dataclasses import fields
from datetime import date, datetime
from operator import attrgetter
from typing import Any

import sqlalchemy as sa

from chaos.domain.served_record import ServedRecord, ServedScore
from chaos.infrastructure.db.tables import served_score
from chaos.infrastructure.db.unavailable import unavailable_on_outage

_NAMES = [field.name for field in fields(ServedScore)]
_COLUMNS = [served_score.c[name] for name in _NAMES]
_VALUES = attrgetter(*_NAMES)
_COPY = f"COPY {served_score.name} ({', '.join(_NAMES)}) FROM STDIN"
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_TEXT: dict[type, Any] = {
    int: str,
    float: repr,  # the shortest form that reads back as the same double
    bool: lambda flag: "t" if flag else "f",
    str: lambda text: text.translate(_ESCAPES),
    date: date.isoformat,
    datetime: datetime.isoformat,  # with its offset: timestamptz keeps the instant
    type(None): lambda _: "\\N",
}
"""Each value's form in COPY's text format, by its exact type (a bool is not written as an int)."""


class SqlServedRecord(ServedRecord):
    def __init__(self, engine: sa.Engine):
        self.engine = engine

    def append(self, scores: Sequence[ServedScore]) -> None:
        if not scores:
            return
        dialect = self.engine.dialect
        with unavailable_on_outage(), self.engine.begin() as connection:
            driver = connection.connection.dbapi_connection
            assert driver is not None, "a checked-out connection has its driver's connection"
            try:
                with closing(driver.cursor()) as cursor:
                    cursor.copy_expert(_COPY, _CopyText(scores))
            except dialect.loaded_dbapi.Error as error:  # what SQLAlchemy's own execute raises for it
                raise sa.exc.DBAPIError.instance(
                    _COPY, None, error, dialect.loaded_dbapi.Error, dialect=dialect
                ) from error

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


class _CopyText:
    """The scores as COPY's text input, formatted as the driver reads it (`read(size)`)."""

    def __init__(self, scores: Sequence[ServedScore]):
        self._lines = map(_line, scores)

    def read(self, size: int = -1) -> str:
        piece, length = [], 0
        for line in self._lines:
            piece.append(line)
            length += len(line)
            if 0 <= size <= length:
                break
        return "".join(piece)


def _line(score: ServedScore) -> str:
    return "\t".join([_TEXT[type(value)](value) for value in _VALUES(score)]) + "\n"
