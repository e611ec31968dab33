"""The `POST /outcomes` body: reported outcomes as JSON `{"outcomes": [...]}` or CSV, read like a
batch (the same reader, the same bounded 422) into `ReportedOutcome`s.

A row is a contact id and its status (one of the bank's five), with the contact date and the
customer's fields exactly as `POST /appetence` takes them (the same model, built from the served
model's vocabulary), or with no fields at all for a contact reported before. A row with some fields
must have the date and every field scoring requires; its date may not be in the future; an id may
appear once per request.
"""

from collections.abc import Iterable
from datetime import date
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    Field,
    WithJsonSchema,
    create_model,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from chaos.domain.features import CUSTOMER_FEATURES
from chaos.domain.outcome import Outcome, UnknownOutcome
from chaos.domain.reported_outcome import Call, ReportedOutcome
from chaos.entrypoints.web.appetence_schema import (
    EXAMPLE_REQUEST,
    REQUIRED,
    AppetenceSchema,
    CustomerRequest,
    InvalidFields,
)
from chaos.entrypoints.web.batch_schema import COLUMNS, RowReader, bounded_list
from chaos.infrastructure.importing.layouts import INT64, REPORTED_OUTCOMES

CONTACT_ID, OUTCOME = "id", "outcome"
EXAMPLE_OUTCOMES = {
    "outcomes": [
        {CONTACT_ID: 41_188, OUTCOME: Outcome.SUBSCRIBED.value, "date": "2026-11-30", **EXAMPLE_REQUEST},
        {CONTACT_ID: 41_187, OUTCOME: Outcome.REFUSED.value},
    ]
}
"""A new contact with its fields, and the status of one reported before (as pending, say)."""


def _outcome(text: str) -> str:
    try:
        return Outcome.parse(text).value
    except UnknownOutcome as error:
        raise PydanticCustomError("unknown_outcome", str(error)) from None


class OutcomeRow(CustomerRequest):
    # The base of the row model each OutcomeSchema builds on its scoring request model.
    id: int
    outcome: str

    @model_validator(mode="after")
    def _fields_all_or_none(self) -> "OutcomeRow":
        given = {name for name in ("date", *CUSTOMER_FEATURES) if getattr(self, name) is not None}
        missing = sorted(name for name in ("date", *REQUIRED) if getattr(self, name) is None)
        if given and missing:
            raise PydanticCustomError(
                "fields_incomplete",
                "a contact's fields are those it was scored with: all of date and {required}, or "
                "none for a contact reported before (missing: {missing})",
                {"required": ", ".join(sorted(REQUIRED)), "missing": ", ".join(missing)},
            )
        return self

    @field_validator("date", check_fields=False)
    @classmethod
    def _not_in_future(cls, value: date | None) -> date | None:
        """On the field, so that the problem names `date`."""
        if value is not None and value > date.today():
            raise PydanticCustomError(
                "date_in_future",
                "date {value} is in the future: an outcome is reported once the call took place",
                {"value": str(value)},
            )
        return value


class OutcomeList(BaseModel):
    outcomes: list[OutcomeRow]


class OutcomeSchema:
    """Parses a `POST /outcomes` body for the fields of one served model."""

    def __init__(self, schema: AppetenceSchema, max_rows: int):
        self.schema = schema
        self.row_model = _row_model(schema)
        self.request_model = bounded_list(
            "OutcomeReportRequest", OutcomeList, "outcomes", self.row_model, max_rows
        )
        self.reader = RowReader(
            schema,
            self.request_model,
            field="outcomes",
            row="report",
            layout=REPORTED_OUTCOMES,
            columns=(CONTACT_ID, OUTCOME, *COLUMNS),
            required_columns=frozenset({CONTACT_ID, OUTCOME}),
            max_rows=max_rows,
        )

    def parse_json(self, chunks: Iterable[bytes]) -> list[ReportedOutcome]:
        return _reports(self.reader.json(chunks).rows)

    def parse_csv(self, body: bytes) -> tuple[list[ReportedOutcome], tuple[str, ...]]:
        rows = self.reader.csv(body)
        return _reports(rows.rows), rows.ignored


def _row_model(schema: AppetenceSchema) -> type[OutcomeRow]:
    """The scoring request's fields, each optional here (a status alone is a row), then the
    all-or-none rule; the id and the status."""
    fields: dict[str, Any] = {
        name: (info.rebuild_annotation() | None, None)
        for name, info in schema.request_model.model_fields.items()
        if name in REQUIRED
    }
    statuses = WithJsonSchema({"enum": [outcome.value for outcome in Outcome]})
    fields[CONTACT_ID] = (Annotated[int, Field(ge=0, le=INT64)], ...)
    fields[OUTCOME] = (Annotated[str, AfterValidator(_outcome), statuses], ...)
    bases: Any = (schema.request_model, OutcomeRow)  # the served model's fields, then this rule
    return create_model("OutcomeReport", __base__=bases, **fields)


def _reports(rows: list[Any]) -> list[ReportedOutcome]:
    """Each row as a report; an id twice in one request is refused, naming both rows."""
    first_row: dict[int, int] = {}
    errors = []
    for number, row in enumerate(rows):
        first = first_row.setdefault(row.id, number)
        if first != number:
            errors.append(
                {"row": number, "field": CONTACT_ID, "message": f"contact {row.id} already on row {first}"}
            )
    if errors:
        raise InvalidFields(errors)
    return [_report(row) for row in rows]


def _report(row: Any) -> ReportedOutcome:
    call = None
    if row.date is not None:
        call = Call(row.date, row.model_dump(include=set(CUSTOMER_FEATURES)))
    return ReportedOutcome(row.id, Outcome(row.outcome), call)
