"""`OutcomeBook` over the `reported_outcome` table: one transaction per request, read then written
in one statement.

Updates are serialized by a transaction-level advisory lock, so two requests reporting the same new
contact cannot both find it unknown and both insert it; reports are rare next to scores, and a lock
held for one request's read and write costs them nothing noticeable. The serving role needs
SELECT, INSERT and UPDATE on this table, and nothing more (docs/database-role.md).
"""

from collections.abc import Callable, Mapping, Sequence

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from chaos.domain.features import CUSTOMER_FEATURES
from chaos.domain.outcome import Outcome
from chaos.domain.reported_outcome import Call, OutcomeBook, ReportedOutcome
from chaos.infrastructure.db.tables import REPORTED_AT, data_columns, reported_outcome
from chaos.infrastructure.db.unavailable import unavailable_on_outage

LOCK_KEY = 0x6368616F73  # "chaos": one advisory lock, taken only by outcome reports
_COLUMNS = data_columns(reported_outcome)


class SqlOutcomeBook(OutcomeBook):
    def __init__(self, engine: sa.Engine):
        self.engine = engine

    def update(
        self,
        contact_ids: Sequence[int],
        apply: Callable[[Mapping[int, ReportedOutcome]], Sequence[ReportedOutcome]],
    ) -> None:
        with unavailable_on_outage(), self.engine.connect() as pooled:
            # The request path's engine reads in autocommit: this read-decide-write needs a real
            # transaction, for the lock to last until the write and for the write to be all or nothing.
            connection = pooled.execution_options(isolation_level="READ COMMITTED")
            with connection.begin():
                connection.execute(sa.select(sa.func.pg_advisory_xact_lock(LOCK_KEY)))
                rows = connection.execute(
                    sa.select(*(reported_outcome.c[name] for name in _COLUMNS)).where(
                        reported_outcome.c.id.in_(list(contact_ids))
                    )
                ).mappings()
                known = {row["id"]: _outcome(row) for row in rows}
                written = apply(known)
                if written:
                    connection.execute(_upsert([_row(outcome) for outcome in written]))


def _upsert(rows: list[dict[str, object]]) -> sa.Insert:
    """One statement for all rows: one round trip, where an executemany would make one per row."""
    statement = insert(reported_outcome).values(rows)
    replaced = {name: statement.excluded[name] for name in _COLUMNS if name != "id"}
    return statement.on_conflict_do_update(
        index_elements=["id"], set_={**replaced, REPORTED_AT: sa.func.now()}
    )


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
