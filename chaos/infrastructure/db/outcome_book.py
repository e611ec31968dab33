"""`OutcomeBook` over the `reported_outcome` table: read and decide without a lock, write under one.

A request's reports are read and decided on outside any lock, then written in a short transaction
serialized by a transaction-level advisory lock: it checks, under the lock, that the rows it decided on
are still those it read (PostgreSQL's `xmin`, the transaction that last wrote a row version, changes
with every write), and writes them all in one statement. When another report wrote one of its contacts
in between, the lock is released and the request decides again on what is known now: two requests
reporting the same new contact cannot both find it unknown and both insert it, and what is stored is
always what one whole request decided. The reporting key's volume of the day is counted under the same
lock, so that two reports of one key sent at once cannot pass its limit together (the count reads the
key's rows of the day through an index: milliseconds at the limit). The lock is held for the check and
the write only (a fraction of a second for the largest report), never while deciding.

A report waiting for other reports' writes waits, in all, up to its own lock timeout
(`database.report_lock_timeout_ms`), not the request path's statement deadline; past it, or when other
reports keep changing its contacts, it raises ReportsBusy and writes nothing. The serving role needs
SELECT, INSERT and UPDATE on this table and SELECT on the `known_contact` view, nothing more
(docs/database-role.md).
"""

import math
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, insert

from chaos.domain.features import CUSTOMER_FEATURES
from chaos.domain.outcome import Outcome
from chaos.domain.report_bounds import Reporter
from chaos.domain.reported_outcome import (
    Call,
    OutcomeBook,
    OutcomesUnavailable,
    ReportedOutcome,
    ReportsBusy,
)
from chaos.infrastructure.config.settings import DEFAULT_REPORT_LOCK_TIMEOUT_MS
from chaos.infrastructure.db.deadline import extended_deadline
from chaos.infrastructure.db.request_reads import fetch
from chaos.infrastructure.db.tables import KEY_ID, REPORTED_AT, data_columns, known_contact, reported_outcome
from chaos.infrastructure.db.unavailable import unavailable_on_outage

LOCK_KEY = 0x6368616F73  # "chaos": one advisory lock, taken only by outcome reports
ATTEMPTS = 3
"""Decisions a request may make before giving up, when other reports keep changing its contacts."""
LOCK_NOT_AVAILABLE = "55P03"
"""PostgreSQL's SQLSTATE when lock_timeout ends a wait."""

_COLUMNS = data_columns(reported_outcome)
_WRITTEN = [*_COLUMNS, KEY_ID]
_IDS = sa.cast(sa.bindparam("ids"), ARRAY(sa.BigInteger))
_VERSION: sa.Label[str] = sa.literal_column("reported_outcome.xmin::text").label("version")


def _upsert() -> sa.Insert:
    """All rows in one statement of constant text: each column travels as one array and `unnest`
    makes the rows. A multi-row VALUES list compiles 16 parameters a row (seconds for the largest
    report, spent in the client while the transaction waits), and an executemany one round trip per
    page of rows."""
    arrays = [sa.cast(sa.bindparam(name), ARRAY(reported_outcome.c[name].type)) for name in _WRITTEN]
    rows = sa.func.unnest(*arrays).table_valued(*_WRITTEN).render_derived(name="reported")
    statement = insert(reported_outcome).from_select(
        _WRITTEN, sa.select(*(rows.c[name] for name in _WRITTEN))
    )
    replaced = {name: statement.excluded[name] for name in _WRITTEN if name != "id"}
    return statement.on_conflict_do_update(
        index_elements=["id"], set_={**replaced, REPORTED_AT: sa.func.now()}
    )


_UPSERT = _upsert()
_KNOWN = sa.select(_VERSION, *(reported_outcome.c[name] for name in _COLUMNS)).where(
    reported_outcome.c.id == sa.any_(_IDS)
)
_VERSIONS = sa.select(reported_outcome.c.id, _VERSION).where(reported_outcome.c.id == sa.any_(_IDS))
_TODAY_UTC = sa.text("date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'")
_OF_THE_KEY_TODAY = (
    reported_outcome.c[KEY_ID] == sa.bindparam("key_id"),
    reported_outcome.c[REPORTED_AT] >= _TODAY_UTC,
)
_WRITTEN_TODAY = sa.select(
    sa.select(sa.func.count()).where(*_OF_THE_KEY_TODAY).scalar_subquery()
    # minus those this report rewrites, counted once with it: probes of the primary key, where a
    # NOT IN over the request's ids would compare every row of the day with every id
    - sa.select(sa.func.count())
    .where(reported_outcome.c.id == sa.any_(_IDS), *_OF_THE_KEY_TODAY)
    .scalar_subquery()
)
_GIVEN = sa.func.unnest(_IDS).table_valued("id").render_derived(name="given")
_STRANGERS = sa.select(_GIVEN.c.id).where(
    ~sa.exists().where(known_contact.c.id == _GIVEN.c.id),
    ~sa.exists().where(reported_outcome.c.id == _GIVEN.c.id),
)


class SqlOutcomeBook(OutcomeBook):
    def __init__(self, engine: sa.Engine, lock_timeout_ms: int = DEFAULT_REPORT_LOCK_TIMEOUT_MS):
        self.engine = engine
        self.lock_timeout_ms = lock_timeout_ms

    def update(
        self,
        contact_ids: Sequence[int],
        apply: Callable[[Mapping[int, ReportedOutcome]], Sequence[ReportedOutcome]],
        reporter: Reporter,
    ) -> None:
        ids = {"ids": list(contact_ids)}
        waits_until = time.monotonic() + self.lock_timeout_ms / 1000  # all attempts' waits together
        with unavailable_on_outage(OutcomesUnavailable), self.engine.connect() as pooled:
            # The request path's engine reads in autocommit: the write needs a real transaction, for
            # the lock to last until the write and for the write to be all or nothing.
            connection = pooled.execution_options(isolation_level="READ COMMITTED")
            for _ in range(ATTEMPTS):
                with connection.begin():
                    rows = connection.execute(_KNOWN, ids).mappings().all()
                versions = {row["id"]: row["version"] for row in rows}
                written = apply({row["id"]: _outcome(row) for row in rows})
                if not written:
                    return  # nothing changes: the read was one consistent snapshot
                values = _columns([{**_row(outcome), KEY_ID: reporter.key_id} for outcome in written])
                with connection.begin():
                    self._lock(connection, waits_until)
                    if dict(connection.execute(_VERSIONS, ids).all()) == versions:
                        today = connection.execute(_WRITTEN_TODAY, {**ids, "key_id": reporter.key_id})
                        reporter.admit(today.scalar_one(), len(written))
                        connection.execute(_UPSERT, values)
                        return
                # another report wrote some of these contacts since they were read: decide again
        raise ReportsBusy(
            f"other reports kept changing these contacts while this one was decided ({ATTEMPTS} times)"
        )

    def strangers(self, contact_ids: Sequence[int]) -> set[int]:
        ids = {"ids": list(contact_ids)}
        with unavailable_on_outage(OutcomesUnavailable):
            found = fetch(self.engine, lambda connection: connection.execute(_STRANGERS, ids).scalars().all())
        return set(found)

    def _lock(self, connection: sa.Connection, waits_until: float) -> None:
        """Wait for the reports' lock until `waits_until` (the lock timeout), not the statement
        timeout: PostgreSQL's lock_timeout bounds the wait, and the client's statement deadline is
        extended by it."""
        wait_ms = max(1, math.ceil((waits_until - time.monotonic()) * 1000))
        connection.execute(
            sa.text(
                "SELECT set_config('lock_timeout', :wait, true), set_config('statement_timeout', '0', true)"
            ),
            {"wait": f"{wait_ms}ms"},
        )
        with _busy_when_lock_times_out(self.lock_timeout_ms), extended_deadline(wait_ms / 1000):
            connection.execute(sa.select(sa.func.pg_advisory_xact_lock(LOCK_KEY)))
        connection.execute(sa.text("SET LOCAL statement_timeout TO DEFAULT"))


@contextmanager
def _busy_when_lock_times_out(lock_timeout_ms: int) -> Iterator[None]:
    try:
        yield
    except sa.exc.OperationalError as error:
        if getattr(error.orig, "pgcode", None) != LOCK_NOT_AVAILABLE:
            raise
        raise ReportsBusy(
            f"other reports were being written for longer than this one may wait "
            f"({lock_timeout_ms} ms, database.report_lock_timeout_ms)"
        ) from error


def _columns(rows: list[dict[str, object]]) -> dict[str, list[object]]:
    return {name: [row[name] for row in rows] for name in _WRITTEN}


def _outcome(row: sa.RowMapping) -> ReportedOutcome:
    call = Call(row["date"], {name: row[name] for name in CUSTOMER_FEATURES})
    return ReportedOutcome(row["id"], Outcome(row["outcome"]), call)


def _row(outcome: ReportedOutcome) -> dict[str, object]:
    if outcome.call is None:
        raise ValueError(f"contact {outcome.contact_id}: an outcome is written with the contact's fields")
    return {
        "id": outcome.contact_id,
        "date": outcome.call.date,
        **{name: outcome.call.features[name] for name in CUSTOMER_FEATURES},
        "outcome": outcome.outcome.value,
    }
