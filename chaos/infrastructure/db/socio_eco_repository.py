"""The SQL side of the as-of rule: `SocioEcoRepository` over the live `socio_eco` table."""

from collections.abc import Iterable
from datetime import date

import sqlalchemy as sa

from chaos.domain.as_of import DEFAULT_LAG_DAYS, cutoff
from chaos.domain.repositories import SocioEcoRepository
from chaos.domain.socio_eco import INDICATORS, SocioEcoIndicators
from chaos.infrastructure.db.request_reads import DriverStatement, fetch, first_row
from chaos.infrastructure.db.tables import socio_eco

_COMPLETE = sa.and_(*(socio_eco.c[name].is_not(None) for name in INDICATORS))
_ROW = (socio_eco.c.date, *(socio_eco.c[name] for name in INDICATORS))
"""A row's columns, in the order of SocioEcoIndicators' fields."""


def _latest_complete(limit) -> sa.Select:
    """The rule in SQL: the latest complete row dated on or before `limit` (a date or a column),
    where `limit` is as_of.cutoff of the contact date: the day before it, minus the lag."""
    return (
        sa.select(*_ROW)
        .where(socio_eco.c.date <= limit, _COMPLETE)
        .order_by(socio_eco.c.date.desc())
        .limit(1)
    )


_AS_OF = _latest_complete(sa.bindparam("cutoff", type_=sa.Date))
"""Built once: constructing the statement per call cost more than the database's answer."""


class SqlSocioEcoRepository(SocioEcoRepository):
    """Reads PostgreSQL on every call; caching, if any, is a decorator around it.

    Every read is a single statement, so it needs no transaction: the web app's engine reads in
    autocommit (engine.create_engine(request_path=True))."""

    def __init__(self, engine: sa.Engine):
        self.engine = engine
        self._as_of = DriverStatement.compiled(_AS_OF, engine.dialect)

    def as_of(self, contact_date: date, lag_days: int = DEFAULT_LAG_DAYS) -> SocioEcoIndicators | None:
        """The read of every request when the cache is off: on the driver's cursor (request_reads)."""
        row = first_row(self.engine, self._as_of, {"cutoff": cutoff(contact_date, lag_days)})
        return SocioEcoIndicators(*row) if row else None

    def as_of_many(
        self, contact_dates: Iterable[date], lag_days: int = DEFAULT_LAG_DAYS
    ) -> dict[date, SocioEcoIndicators | None]:
        limit_of = {d: cutoff(d, lag_days) for d in set(contact_dates)}
        cutoffs = sorted(set(limit_of.values()))
        if not cutoffs:
            return {}
        limits = sa.values(sa.column("cutoff", sa.Date), name="cutoffs").data([(c,) for c in cutoffs])
        picked = _latest_complete(limits.c.cutoff).lateral("picked")
        query = sa.select(limits.c.cutoff, picked).select_from(limits.outerjoin(picked, sa.true()))
        rows = self._fetch(lambda connection: connection.execute(query).all())
        by_cutoff = {row.cutoff: _indicators(row) if row.date else None for row in rows}
        return {d: by_cutoff[limit] for d, limit in limit_of.items()}

    def known_range(self) -> tuple[date, date] | None:
        query = sa.select(sa.func.min(socio_eco.c.date), sa.func.max(socio_eco.c.date)).where(_COMPLETE)
        first, last = self._fetch(lambda connection: connection.execute(query).one())
        return (first, last) if first else None

    def _fetch(self, work):
        return fetch(self.engine, work)


def _indicators(row) -> SocioEcoIndicators:
    return SocioEcoIndicators(row.date, *(row._mapping[name] for name in INDICATORS))
