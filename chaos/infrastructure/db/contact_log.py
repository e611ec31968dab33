"""The call log as `chaos calibrate` and `chaos monitor` read it: `ContactLog` over the
`contact_outcome` view, where the export's rows and the outcomes marketing tools reported are
reconciled.

Only resolved outcomes are read (`subscription` is NULL while a call is pending) and only the
columns the model and the outcome need, which are all the view has (never `duration_contact` nor
ids), streamed in batches so that a window of millions of calls never sits in memory as objects."""

from collections.abc import Iterator, Sequence
from datetime import date

import sqlalchemy as sa

from chaos.domain.features import CUSTOMER_FEATURES, TARGET
from chaos.domain.repositories import ContactLog, PastContact
from chaos.infrastructure.db.tables import contact_outcome
from chaos.infrastructure.db.unavailable import unavailable_on_outage

READ_COLUMNS = ("date", *CUSTOMER_FEATURES, TARGET)
BATCH_ROWS = 50_000
_RESOLVED = contact_outcome.c[TARGET].is_not(None)
_BETWEEN = (
    sa.select(*(contact_outcome.c[name] for name in READ_COLUMNS))
    .where(
        contact_outcome.c.date.between(
            sa.bindparam("first", type_=sa.Date), sa.bindparam("last", type_=sa.Date)
        ),
        _RESOLVED,
    )
    .order_by(contact_outcome.c.date)
)
_NEWEST = sa.select(sa.func.max(contact_outcome.c.date)).where(
    contact_outcome.c.date <= sa.bindparam("until", type_=sa.Date), _RESOLVED
)


class SqlContactLog(ContactLog):
    def __init__(self, engine: sa.Engine, batch_rows: int = BATCH_ROWS):
        self.engine = engine
        self.batch_rows = batch_rows

    def newest_resolved(self, until: date) -> date | None:
        with unavailable_on_outage(), self.engine.connect() as connection:
            return connection.execute(_NEWEST, {"until": until}).scalar_one()

    def resolved_between(self, first: date, last: date) -> Iterator[Sequence[PastContact]]:
        with unavailable_on_outage(), self.engine.begin() as connection:
            # A batch read of millions of rows, bounded by the job's deadline, not a request's.
            connection.execute(sa.text("SET LOCAL statement_timeout = 0"))
            result = connection.execution_options(yield_per=self.batch_rows).execute(
                _BETWEEN, {"first": first, "last": last}
            )
            for rows in result.mappings().partitions():
                yield [
                    PastContact(row["date"], {name: row[name] for name in CUSTOMER_FEATURES}, row[TARGET])
                    for row in rows
                ]
