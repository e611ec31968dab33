"""`ServedRecord` over the `served_score` table: one COPY per flush, reads per contact, the retention
purge.

The write runs in each serving worker's flushing thread, so its client CPU is the worker's and its
GIL is the requests'. A multi-row INSERT through SQLAlchemy cost about 90 µs of CPU a row (a
parameter dict per row, then the driver's quoting of every value) and held the GIL for the whole
batch. COPY in PostgreSQL's binary format costs about 1.3 µs a row to encode (one `struct` call per
run of fixed-width values; the text format's `repr` of each double and ISO form of each date cost
about 7 µs) and spares the database parsing the text back into numbers. Rows are encoded as
psycopg2 reads them, a few kilobytes at a time, the GIL released while each piece is sent, so a
request waits at most that long for it.
"""

import struct
from collections.abc import Sequence
from contextlib import closing
from dataclasses import fields
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from chaos.domain.served_record import ServedRecord, ServedScore
from chaos.infrastructure.db.tables import served_score
from chaos.infrastructure.db.unavailable import unavailable_on_outage

_NAMES = [field.name for field in fields(ServedScore)]
_COLUMNS = [served_score.c[name] for name in _NAMES]
_WRITTEN = (
    "contact_id",
    "contact_date",
    "model_version",
    "calibration_until",
    "calibration_window_days",
    "calibration_shift",
    "calibration_slope",
    "calibration_offset",
    "calibration_stale",
    "log_odds",
    "probability",
    "key_id",
    "served_at",
)
"""The columns in the order `_row` encodes them."""
_COPY = f"COPY {served_score.name} ({', '.join(_WRITTEN)}) FROM STDIN WITH (FORMAT binary)"
_HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)  # signature, no flags, no extension
_TRAILER = struct.pack(">h", -1)
_NULL = struct.pack(">i", -1)
_DAY_ZERO = date(2000, 1, 1).toordinal()  # PostgreSQL's epoch for dates and instants
_INSTANT_ZERO = datetime(2000, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_LENGTH = struct.Struct(">i")
_START = struct.Struct(">h iq ii")  # 13 values; contact_id (int8), contact_date (days)
_INT4 = struct.Struct(">ii")  # an int4, or a date as days since the epoch
_NUMBERS = struct.Struct(">id id id i? id id")  # shift, slope, offset (float8), stale, log_odds, probability
_INSTANT = struct.Struct(">iq")  # microseconds since the epoch, UTC
"""Each value is its length (int32, -1 for NULL) then its bytes, big-endian."""


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
                    cursor.copy_expert(_COPY, _CopyBinary(scores))
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


class _CopyBinary:
    """The scores as COPY's binary input, encoded as the driver reads it (`read(size)`)."""

    def __init__(self, scores: Sequence[ServedScore]):
        self._pieces = iter([_HEADER, *map(_row, scores), _TRAILER])

    def read(self, size: int = -1) -> bytes:
        piece, length = [], 0
        for encoded in self._pieces:
            piece.append(encoded)
            length += len(encoded)
            if 0 <= size <= length:
                break
        return b"".join(piece)


def _row(score: ServedScore) -> bytes:
    until, window, key_id = score.calibration_until, score.calibration_window_days, score.key_id
    return b"".join(
        (
            _START.pack(len(_WRITTEN), 8, score.contact_id, 4, score.contact_date.toordinal() - _DAY_ZERO),
            _text(score.model_version),
            _NULL if until is None else _INT4.pack(4, until.toordinal() - _DAY_ZERO),
            _NULL if window is None else _INT4.pack(4, window),
            _NUMBERS.pack(
                *(8, score.calibration_shift, 8, score.calibration_slope, 8, score.calibration_offset),
                *(1, score.calibration_stale, 8, score.log_odds, 8, score.probability),
            ),
            _NULL if key_id is None else _text(key_id),
            _INSTANT.pack(8, (score.served_at - _INSTANT_ZERO) // _MICROSECOND),
        )
    )


def _text(value: str) -> bytes:
    encoded = value.encode("utf-8")
    return _LENGTH.pack(len(encoded)) + encoded
