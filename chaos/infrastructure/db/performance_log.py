"""`PerformanceLog` over the `model_performance` table."""

from collections.abc import Sequence
from dataclasses import asdict, fields
from datetime import date

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from chaos.domain.performance import DayPerformance, MeasureSource, PerformanceLog
from chaos.infrastructure.db.request_reads import fetch
from chaos.infrastructure.db.tables import model_performance

_FIGURES = [field.name for field in fields(DayPerformance)]
_COLUMNS = [model_performance.c[name] for name in _FIGURES]
_NEWEST = (
    sa.select(model_performance.c.model_version, sa.func.max(model_performance.c.day).label("day"))
    .group_by(model_performance.c.model_version)
    .subquery()
)
_LATEST = (
    sa.select(*_COLUMNS)
    .join(
        _NEWEST,
        (_NEWEST.c.model_version == model_performance.c.model_version)
        & (_NEWEST.c.day == model_performance.c.day),
    )
    .order_by(model_performance.c.model_version)
)


class SqlPerformanceLog(PerformanceLog):
    def __init__(self, engine: sa.Engine):
        self.engine = engine

    def record(self, measures: Sequence[DayPerformance]) -> None:
        if not measures:
            return
        statement = insert(model_performance)
        replaced = {
            name: statement.excluded[name] for name in _FIGURES if name not in ("model_version", "day")
        }
        upsert = statement.on_conflict_do_update(
            index_elements=["model_version", "day"], set_={**replaced, "measured_at": sa.func.now()}
        )
        with self.engine.begin() as connection:
            connection.execute(upsert, [asdict(measure) for measure in measures])

    def latest(self) -> list[DayPerformance]:
        return self._read(_LATEST)

    def history(self, first: date) -> list[DayPerformance]:
        return self._read(
            sa.select(*_COLUMNS)
            .where(model_performance.c.day >= first)
            .order_by(model_performance.c.model_version, model_performance.c.day)
        )

    def _read(self, query: sa.Select) -> list[DayPerformance]:
        rows = fetch(self.engine, lambda connection: connection.execute(query).mappings().all())
        return [DayPerformance(**{**row, "source": MeasureSource(row["source"])}) for row in rows]
