"""The `POST /appetence/batch` body, as JSON `{"customers": [...]}` or as CSV with the canonical
columns, parsed into `Customer`s all at once or refused with every bad row named.

Both forms go through one pydantic model (`customers: list[<the single request model>]`), so a
batch row accepts exactly what `POST /appetence` accepts and the OpenAPI document shows the same
schema. CSV cells are text: integers are recognised, empty cells mean unknown, the rest (labels,
flags, dates) is left for the model to judge as in JSON. pydantic validates the whole list in one
call (in Rust), which keeps 10,000 rows fast.
"""

import csv
import io
import json
import re
from collections.abc import Sequence
from datetime import date
from types import GenericAlias
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from chaos.application.web.appetence_schema import (
    REQUIRED,
    AppetenceSchema,
    CustomerRequest,
    InvalidFields,
    InvalidJson,
)
from chaos.domain.customer import Customer
from chaos.domain.features import CUSTOMER_FEATURES, NUMERIC

COLUMNS = ("date", *CUSTOMER_FEATURES)
"""The canonical CSV columns (any order; optional ones may be left out)."""
_INTEGER = re.compile(r"^\s*[+-]?\d{1,18}\s*$")


class BatchResult(BaseModel):
    appetence: Annotated[float, Field(ge=0, le=1)]
    socio_eco_date: date


class BatchResponse(BaseModel):
    """The JSON answer: results in the order of the request's customers."""

    model_version: str
    count: int
    results: list[BatchResult]


class TooManyRows(ValueError):
    """More customers than `api.batch_max_rows` (413)."""


class BatchRequest(BaseModel):
    # The base of the model each BatchSchema builds: a list of its single-customer model, bounded.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    customers: list[CustomerRequest]


def batch_model(schema: AppetenceSchema, max_rows: int) -> type[BatchRequest]:
    rows: Any = GenericAlias(list, (schema.request_model,))  # list[<that model>], built at run time
    return create_model(
        "AppetenceBatchRequest",
        __base__=BatchRequest,
        customers=(rows, Field(min_length=1, max_length=max_rows)),
    )


class BatchSchema:
    def __init__(self, schema: AppetenceSchema, max_rows: int):
        self.schema = schema
        self.max_rows = max_rows
        self.request_model = batch_model(schema, max_rows)

    def parse_json(self, body: bytes, today: date) -> list[Customer]:
        try:
            document = json.loads(body)
        except (ValueError, RecursionError) as error:
            raise InvalidJson(str(error)) from None
        if isinstance(document, dict) and isinstance(document.get("customers"), list):
            self._check_count(len(document["customers"]))
        return self._customers(body, today)

    def parse_csv(self, body: bytes, today: date) -> list[Customer]:
        try:
            text = body.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise InvalidFields([{"field": "body", "message": f"the CSV is not UTF-8: {error}"}]) from None
        try:
            reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
            header = reader.fieldnames or []
            self._check_header(header)
            rows: list[dict[str, Any]] = []
            for row in reader:
                self._check_count(len(rows) + 1)
                rows.append(self._cells(row, reader.line_num))
        except csv.Error as error:
            raise InvalidFields([{"field": "body", "message": f"malformed CSV: {error}"}]) from None
        return self._customers(json.dumps({"customers": rows}).encode(), today)

    def _check_count(self, count: int) -> None:
        if count > self.max_rows:
            raise TooManyRows(f"at most {self.max_rows} customers per batch; split the list")

    def _check_header(self, header: Sequence[str]) -> None:
        errors = [
            {"field": name, "message": "unknown column", "allowed": list(COLUMNS)}
            for name in header
            if name not in COLUMNS
        ]
        errors += [
            {"field": name, "message": "missing required column", "allowed": list(COLUMNS)}
            for name in sorted(REQUIRED - set(header))
        ]
        if len(set(header)) != len(header):
            errors.append({"field": "header", "message": "a column appears twice"})
        if errors:
            raise InvalidFields(errors)

    @staticmethod
    def _cells(row: dict[str | None, Any], line: int) -> dict[str, Any]:
        if None in row or any(value is None for value in row.values()):
            raise csv.Error(f"line {line} does not have as many cells as the header")
        return {name: _cell(name, value) for name, value in row.items() if name is not None}

    def _customers(self, body: bytes, today: date) -> list[Customer]:
        request = self.schema.validate_json(self.request_model, body, locate=_by_row)
        return [self.schema.customer(row, today) for row in request.customers]


def cell_text(value: object) -> str:
    """A feature value as a CSV cell that `_cell` reads back to the same value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _cell(name: str, value: str) -> Any:
    if not value.strip():
        return None
    if name in NUMERIC and _INTEGER.match(value):
        return int(value)
    return value


def _by_row(error: dict[str, Any]) -> dict[str, Any]:
    """`customers.3.age` becomes row 3, field `age`: what a caller needs to find the bad cell."""
    parts = error["field"].split(".")
    if len(parts) >= 2 and parts[0] == "customers" and parts[1].isdigit():
        field = ".".join(parts[2:]) or "customer"
        return {"row": int(parts[1]), **error, "field": field}
    return error
