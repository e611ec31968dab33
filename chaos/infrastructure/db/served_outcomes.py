"""`ServedOutcomes` over the `served_score` table joined to the `contact_outcome` view by contact id
and day: the served record with the outcomes reported since, read by `chaos calibrate` and
`chaos monitor` (the jobs' role reads both)."""

from datetime import date

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import distinct_on

from chaos.domain.features import TARGET
from chaos.domain.served_record import ServedOutcome, ServedOutcomes
from chaos.infrastructure.db.tables import contact_outcome, served_score
from chaos.infrastructure.db.unavailable import unavailable_on_outage

_ONE_PER_ANSWER = (*(served_score.c[name] for name in ("contact_id", "contact_date", "model_version")),)
_LAST = (
    sa.select(
        served_score.c.contact_id,
        served_score.c.contact_date,
        served_score.c.model_version,
        (served_score.c.log_odds + served_score.c.calibration_shift).label("shifted_log_odds"),
        served_score.c.probability,
    )
    .where(
        served_score.c.contact_date.between(
            sa.bindparam("first", type_=sa.Date), sa.bindparam("last", type_=sa.Date)
        )
    )
    .ext(distinct_on(*_ONE_PER_ANSWER))
    .order_by(*_ONE_PER_ANSWER, served_score.c.served_at.desc(), served_score.c.id.desc())
    .subquery("last_answer")
)
"""Per contact, day and model version, the last answer served (PostgreSQL's DISTINCT ON)."""
_BETWEEN = (
    sa.select(
        _LAST.c.model_version,
        _LAST.c.contact_date,
        _LAST.c.shifted_log_odds,
        _LAST.c.probability,
        contact_outcome.c[TARGET].label("subscribed"),
    )
    .join(
        contact_outcome,
        (contact_outcome.c.id == _LAST.c.contact_id) & (contact_outcome.c.date == _LAST.c.contact_date),
    )
    .where(contact_outcome.c[TARGET].is_not(None))
    .order_by(_LAST.c.contact_date, _LAST.c.model_version, _LAST.c.contact_id)
)


class SqlServedOutcomes(ServedOutcomes):
    def __init__(self, engine: sa.Engine):
        self.engine = engine

    def between(self, first: date, last: date) -> list[ServedOutcome]:
        with unavailable_on_outage(), self.engine.begin() as connection:
            # a job's read of up to the slope window's answers, bounded by the job, not a request
            connection.execute(sa.text("SET LOCAL statement_timeout = 0"))
            rows = connection.execute(_BETWEEN, {"first": first, "last": last}).mappings().all()
        return [ServedOutcome(**row) for row in rows]
