"""The call log as calibration reads it: `ContactLog` over the `contact_outcome` view, where the
export's rows and the outcomes marketing tools reported are reconciled.

The view has only the columns the model and the outcome need (never `duration_contact` nor ids),
which is also exactly what the serving role may read (docs/database-role.md)."""

from datetime import date

import sqlalchemy as sa

from chaos.domain.features import CUSTOMER_FEATURES, TARGET
from chaos.domain.repositories import ContactLog, PastContact
from chaos.infrastructure.db.request_reads import fetch
from chaos.infrastructure.db.tables import contact_outcome

READ_COLUMNS = ("date", *CUSTOMER_FEATURES, TARGET)
_BETWEEN = (
    sa.select(*(contact_outcome.c[name] for name in READ_COLUMNS))
    .where(
        contact_outcome.c.date.between(
            sa.bindparam("first", type_=sa.Date), sa.bindparam("last", type_=sa.Date)
        )
    )
    .order_by(contact_outcome.c.date)
)


class SqlContactLog(ContactLog):
    def __init__(self, engine: sa.Engine):
        self.engine = engine

    def contacts_between(self, first: date, last: date) -> list[PastContact]:
        parameters = {"first": first, "last": last}
        rows = fetch(
            self.engine, lambda connection: connection.execute(_BETWEEN, parameters).mappings().all()
        )
        return [
            PastContact(row["date"], {name: row[name] for name in CUSTOMER_FEATURES}, bool(row[TARGET]))
            for row in rows
        ]
