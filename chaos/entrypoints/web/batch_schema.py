"""The `POST /appetence/batch` body, as JSON `{"customers": [...]}` or as CSV, parsed into
`Customer`s all at once or refused with the bad rows named (the first MAX_ERRORS_LISTED, and how
many there are).

A CSV body is read by the same reader as `chaos db import` (chaos.infrastructure.importing): UTF-8
or Latin-1, `;` or `,`, the bank's French headers or the canonical ones, trimmed labels, `123` as an
unknown age; the export's columns that are not model inputs (its index, `statut`, `duree_contact`)
are read past and listed, any other column is refused. Then both forms go through one pydantic
model (`customers: list[<the single request model>]`), so a batch row accepts exactly what
`POST /appetence` accepts and the OpenAPI document shows the same schema. The reading itself
(`RowReader`) is shared with `POST /outcomes`.

Both forms are read as a stream of rows (chaos.entrypoints.web.batch_json for JSON, the import
reader's records for CSV), counted as they come and validated by slices: the 413 comes at row
`max_rows + 1` and nothing past it is ever built, so any body the size limit admits costs a worker
a bounded amount of memory and time.
"""

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from itertools import islice
from pathlib import Path
from types import GenericAlias
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from chaos.domain.customer import Customer
from chaos.domain.features import CUSTOMER_FEATURES
from chaos.entrypoints.web import batch_json
from chaos.entrypoints.web.appetence_schema import (
    CONTACT_ID,
    MAX_ERRORS_LISTED,
    REQUIRED,
    AppetenceSchema,
    ContactId,
    CustomerRequest,
    InvalidFields,
)
from chaos.entrypoints.web.calibration_schema import CalibrationUsed
from chaos.infrastructure.importing import header
from chaos.infrastructure.importing.layouts import CUSTOMERS, Layout
from chaos.infrastructure.importing.records import Rejected, check
from chaos.infrastructure.importing.source import ImportFileError, open_csv

COLUMNS = ("date", *CUSTOMER_FEATURES)
"""The canonical CSV columns of a customer (any order; optional ones may be left out); a batch may
also carry the contact `id` (CONTACT_ID), or the export's unnamed leading index, which is the id."""
CSV_BODY = Path("CSV body")
"""How messages of the CSV reader name a request body."""
CHUNK_ROWS = 500
"""Rows validated per pydantic call: few enough that one slice's errors stay small."""
T = TypeVar("T")


class RowProblem(BaseModel):
    """Why a valid row has no score (data chaos lacks): the problem scoring it alone would answer,
    without a status, since the list itself was answered."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(description="urn:chaos:problem:no-indicators or urn:chaos:problem:stale-indicators")
    title: str
    detail: str
    errors: list[dict[str, Any]] | None = None


class BatchResult(BaseModel):
    """A scored row (`problem` null), or a row chaos could not score (`appetence`, `socio_eco_date`
    and `calibration` null, `problem` saying why)."""

    appetence: Annotated[float, Field(ge=0, le=1)] | None
    socio_eco_date: date | None
    calibration: CalibrationUsed | None
    id: ContactId | None = None
    """The row's contact id, echoed when it carried one (null otherwise)."""
    problem: RowProblem | None = None


class BatchResponse(BaseModel):
    """The JSON answer: results in the order of the request's customers."""

    model_version: str
    count: int
    unscored: int = Field(description="rows answered with a `problem` instead of a score")
    results: list[BatchResult]


class TooManyRows(ValueError):
    """More rows than `api.batch_max_rows` (413); `limit` is that number."""

    def __init__(self, limit: int, rows: str):
        self.limit = limit
        super().__init__(f"at most {limit} {rows} per request; split the list")


class BatchRequest(BaseModel):
    # The base of the model each BatchSchema builds: a list of its single-customer model, bounded.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    customers: list[CustomerRequest]


def batch_model(schema: AppetenceSchema, max_rows: int) -> type[BatchRequest]:
    return bounded_list("AppetenceBatchRequest", BatchRequest, "customers", schema.request_model, max_rows)


Body = TypeVar("Body", bound=BaseModel)


def bounded_list(
    name: str, base: type[Body], field: str, row_model: type[BaseModel], max_rows: int
) -> type[Body]:
    """`base` with `field` a list of 1 to `max_rows` `row_model`s, a model built at run time."""
    rows: Any = GenericAlias(list, (row_model,))  # list[<that model>]
    fields: dict[str, Any] = {field: (rows, Field(min_length=1, max_length=max_rows))}
    return create_model(name, __base__=base, **fields)


@dataclass(frozen=True)
class Batch:
    customers: list[Customer]
    ids: list[int | None]
    """Each row's contact id, None where the row has none."""
    ignored: tuple[str, ...] = ()
    """Columns of a CSV body read past (not model inputs), as the body spells them."""


@dataclass(frozen=True)
class Rows:
    """A body's rows, each validated by the row model of its list."""

    rows: list[Any]
    ignored: tuple[str, ...] = ()
    """Columns of a CSV body read past, as the body spells them."""


class RowReader:
    """Reads a list of rows, as JSON `{<field>: [...]}` or as CSV through the reader of `chaos db
    import` with `layout`, into instances of the row model of `list_model.<field>`: all rows or a
    bounded InvalidFields naming the bad ones. The batch and the outcome reports share it."""

    def __init__(
        self,
        schema: AppetenceSchema,
        list_model: type[BaseModel],
        *,
        field: str,
        row: str,
        layout: Layout,
        columns: Sequence[str],
        required_columns: frozenset[str],
        max_rows: int,
    ):
        """`row` names a whole row in errors; `columns` are the canonical CSV columns."""
        self.schema = schema
        self.list_model = list_model
        self.field = field
        self.row = row
        self.layout = layout
        self.columns = list(columns)
        self.required_columns = required_columns
        self.max_rows = max_rows

    def json(self, chunks: Iterable[bytes]) -> Rows:
        """The body as it arrives: refused at its first row past the limit (413) or of the wrong shape
        (422), never built whole."""
        return Rows(self._validated(self._at_most(batch_json.rows(chunks, self.field, self.row))))

    def csv(self, body: bytes) -> Rows:
        """The bank's export as it is, or canonical columns: the reader of `chaos db import`, its
        records checked as they are read and refused at the first one past the limit (413)."""
        try:
            source = open_csv(body, CSV_BODY)
            plan = header.plan(source, self.layout)
            given = {field.column.name for field in plan.fields}
            missing = [
                {"field": name, "message": "missing required column", "allowed": self.columns}
                for name in sorted(self.required_columns - given)
            ]
            if missing:
                raise InvalidFields(missing)
            lines: list[int] = []
            records = replace(source, records=self._at_most(_lines_kept(source.records, lines)))
            checked = check(records, plan, keep_rejected=MAX_ERRORS_LISTED)
        except ImportFileError as error:
            raise InvalidFields([{"field": "body", "message": str(error)}]) from None
        if checked.rejected_total:
            raise InvalidFields(_cell_errors(checked.rejected), checked.problem_total)
        rows = ({name: value for name, value in row.items() if name in given} for row in checked.rows)
        return Rows(self._validated(rows, lines), plan.ignored)

    def _at_most(self, rows: Iterable[T]) -> Iterator[T]:
        """`rows` until one more than max_rows arrives: that one raises TooManyRows."""
        for count, row in enumerate(rows, start=1):
            if count > self.max_rows:
                raise TooManyRows(self.max_rows, self.field)
            yield row

    def _validated(self, rows: Iterable[Any], lines: Sequence[int] = ()) -> list[Any]:
        """Validated by slices of CHUNK_ROWS as they come: pydantic's speed, while at most
        MAX_ERRORS_LISTED errors are ever built as Python objects; the others are only counted.
        `lines` holds each row's line in a CSV body, for its errors to name."""
        errors: list[dict[str, Any]] = []
        total = 0
        validated: list[Any] = []
        rows = iter(rows)
        start = 0
        while chunk := list(islice(rows, CHUNK_ROWS)):
            try:
                body = json.dumps({self.field: chunk}, default=date.isoformat)
                request = self.list_model.model_validate_json(body)
            except ValidationError as error:
                total += error.error_count()
                if len(errors) < MAX_ERRORS_LISTED:
                    errors += [
                        _located(self._by_row(item), start, lines) for item in self.schema.field_errors(error)
                    ]
            else:
                if not total:
                    validated += getattr(request, self.field)
            start += len(chunk)
        if not start:
            raise InvalidFields([{"field": self.field, "message": f"no {self.row}: send at least one"}])
        if total:
            raise InvalidFields(errors, total)
        return validated

    def _by_row(self, error: dict[str, Any]) -> dict[str, Any]:
        """`customers.3.age` becomes row 3, field `age`: what a caller needs to find the bad cell."""
        parts = error["field"].split(".")
        if len(parts) >= 2 and parts[0] == self.field and parts[1].isdigit():
            field = ".".join(parts[2:]) or self.row
            return {"row": int(parts[1]), **error, "field": field}
        return error


class BatchSchema:
    def __init__(self, schema: AppetenceSchema, max_rows: int):
        self.schema = schema
        self.max_rows = max_rows
        self.request_model = batch_model(schema, max_rows)
        self.reader = RowReader(
            schema,
            self.request_model,
            field="customers",
            row="customer",
            layout=CUSTOMERS,
            columns=(CONTACT_ID, *COLUMNS),
            required_columns=REQUIRED,
            max_rows=max_rows,
        )

    def parse_json(self, chunks: Iterable[bytes], today: date) -> Batch:
        return self._batch(self.reader.json(chunks), today)

    def parse_csv(self, body: bytes, today: date) -> Batch:
        return self._batch(self.reader.csv(body), today)

    def _batch(self, rows: Rows, today: date) -> Batch:
        customers = [self.schema.customer(row, today) for row in rows.rows]
        return Batch(customers, [row.id for row in rows.rows], rows.ignored)


def cell_text(value: object) -> str:
    """A feature value as a CSV cell that the batch CSV reader reads back to the same value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _located(error: dict[str, Any], start: int, lines: Sequence[int]) -> dict[str, Any]:
    """A row's error numbered in the whole body (it was found in a slice from row `start`), with
    the row's line when the body is CSV."""
    if "row" not in error:
        return error
    row = error["row"] + start
    located = {"row": row, **({"line": lines[row]} if lines else {}), **error}
    located["row"] = row
    return located


def _lines_kept(
    records: Iterable[tuple[int, list[str]]], lines: list[int]
) -> Iterator[tuple[int, list[str]]]:
    """`records` as they are read, each one's line appended to `lines`: the i-th row's line."""
    for line, fields in records:
        lines.append(line)
        yield line, fields


def _cell_errors(rejected: list[Rejected]) -> list[dict[str, Any]]:
    """A CSV cell the export reader refuses, located by row (0-based) and line of the body."""
    return [
        {"row": row.row, "line": row.line, "field": problem.kind.partition(":")[0], "message": problem.reason}
        for row in rejected
        for problem in row.problems
    ]
