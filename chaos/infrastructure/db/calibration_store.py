"""`CalibrationStore` over the `calibration` table: the job upserts, the pods read one row.

The pods' read is one statement for any number of days, an index scan on the primary key (model
version, day) per day for the newest row up to it; it runs through `request_reads.fetch` like every
read on the request path."""

import math
from collections.abc import Collection, Mapping
from datetime import date

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, insert

from chaos.domain.calibration import (
    Calibration,
    CalibrationPolicy,
    CalibrationStore,
    CorruptCalibration,
    SlopeSource,
    UnreadableCalibrations,
)
from chaos.infrastructure.db.request_reads import fetch
from chaos.infrastructure.db.tables import calibration
from chaos.infrastructure.db.unavailable import unavailable_on_outage

_VALUES = (
    "shift",
    "window_days",
    "since",
    "until",
    "contacts",
    "observed_rate",
    "newest_outcome",
    "stale",
    "slope",
    "offset",
    "slope_source",
    "moved",
)
_ASKED = (
    sa.func.unnest(sa.bindparam("days", type_=ARRAY(sa.Date))).table_valued("day").render_derived("asked")
)
_FOUND = (
    sa.select(calibration.c.day.label("stored_day"), *(calibration.c[name] for name in _VALUES))
    .where(calibration.c.model_version == sa.bindparam("version"), calibration.c.day <= _ASKED.c.day)
    .order_by(calibration.c.day.desc())
    .limit(1)
    .lateral("found")
)
_NEWEST = sa.select(_ASKED.c.day.label("asked"), _FOUND).select_from(_ASKED.outerjoin(_FOUND, sa.true()))
"""For each day asked, the newest row up to it: one statement, an index scan per day."""


_NOT_READABLE = {"42P01", "42501"}
"""PostgreSQL's undefined_table (schema not upgraded yet) and insufficient_privilege (role not granted)."""


class SqlCalibrationStore(CalibrationStore):
    def __init__(self, engine: sa.Engine):
        self.engine = engine

    def save(self, version: str, policy: CalibrationPolicy, calibrations: Mapping[date, Calibration]) -> None:
        rows = [
            {"model_version": version, "day": day, "policy": policy.as_dict()}
            | {name: getattr(found, name) for name in _VALUES}
            for day, found in calibrations.items()
        ]
        if not rows:
            return
        statement = insert(calibration)
        replace = {name: statement.excluded[name] for name in (*_VALUES, "policy")} | {
            "computed_at": sa.func.now()
        }
        with unavailable_on_outage(), self.engine.begin() as connection:
            connection.execute(
                statement.on_conflict_do_update(index_elements=["model_version", "day"], set_=replace), rows
            )

    def between(self, version: str, first: date, last: date) -> dict[date, Calibration]:
        query = (
            sa.select(calibration.c.day.label("stored_day"), *(calibration.c[name] for name in _VALUES))
            .where(calibration.c.model_version == version, calibration.c.day.between(first, last))
            .order_by(calibration.c.day)
        )
        with unavailable_on_outage(), self.engine.connect() as connection:
            rows = connection.execute(query).mappings().all()
        return {row["stored_day"]: _checked(version, row) for row in rows}

    def newest(self, version: str, days: Collection[date]) -> dict[date, tuple[date, Calibration] | None]:
        parameters = {"version": version, "days": sorted(set(days))}
        try:
            rows = fetch(
                self.engine, lambda connection: connection.execute(_NEWEST, parameters).mappings().all()
            )
        except sa.exc.ProgrammingError as error:
            if getattr(error.orig, "pgcode", None) not in _NOT_READABLE:
                raise
            raise UnreadableCalibrations(str(error.orig).splitlines()[0]) from error
        return {
            row["asked"]: None if row["stored_day"] is None else (row["stored_day"], _checked(version, row))
            for row in rows
        }


def _checked(version: str, row: Mapping) -> Calibration:
    """The row as a Calibration, or CorruptCalibration naming what is wrong with it."""
    rate = row["observed_rate"]
    problems = [
        problem
        for problem, wrong in (
            ("shift is not finite", not _finite(row["shift"])),
            ("offset is not finite", not _finite(row["offset"])),
            ("slope is not a positive number", not _finite(row["slope"]) or row["slope"] <= 0),
            ("observed_rate outside [0, 1]", rate is not None and not 0 <= rate <= 1),
            ("contacts negative", row["contacts"] is None or row["contacts"] < 0),
            ("window without its days", (row["window_days"] is None) != (row["since"] is None)),
        )
        if wrong
    ]
    if problems:
        raise CorruptCalibration(f"calibration of {version} for {row['stored_day']}: {', '.join(problems)}")
    newest = row["newest_outcome"]
    return Calibration(
        row["shift"],
        row["window_days"],
        row["since"],
        row["until"],
        row["contacts"],
        rate,
        newest,
        row["stale"],
        (row["stored_day"] - newest).days if newest else None,
        row["slope"],
        row["offset"],
        None if row["slope_source"] is None else SlopeSource(row["slope_source"]),
        row["moved"],
    )


def _finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)
