"""The call log as calibration reads it: `ContactLog` over the live `marketing` table.

Only the columns the model and the outcome need are selected (never `duration_contact` nor ids),
which is also exactly what the serving role may read (docs/database-role.md)."""

from datetime import date

import sqlalchemy as sa

from chaos.domain.features import CUSTOMER_FEATURES, TARGET
from chaos.domain.repositories import ContactLog, PastContact
from chaos.infrastructure.db.request_reads import fetch
from chaos.infrastructure.db.tables import marketing

READ_COLUMNS = ("date", *CUSTOMER_FEATURES, TARGET)
_BETWEEN = (
    sa.select(*(marketing.c[name] for name in READ_COLUMNS))
    .where(
        marketing.c.date.between(sa.bindparam("first", type_=sa.Date), sa.bindparam("last", type_=sa.Date))
    )
    .order_by(marketing.c.date)
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
