"""The `POST /appetence` body: a strict pydantic model built from the served model's vocabulary.

Labels are checked against the vocabulary recorded in the model's metadata (the labels it was
trained on), so a label the model never saw is refused instead of being silently scored as
"unknown", and there is no second list to keep in sync. Labels are trimmed and case-insensitive,
and mapped to the spelling of the training data.

Required fields are those the bank's export never leaves empty (flags of default and housing
loan, balance, contact counts); the others may be omitted or null, meaning unknown, as they are
for part of the training data. Numbers must be JSON integers within plausible ranges; flags are
JSON booleans or the yes/no spellings of the domain vocabulary. The ranges are the domain's
(`features.RANGES`), as pydantic bounds, so the 422 names every bad field before a `Customer`,
which holds to the same ranges, is built.
"""

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta
from typing import Annotated, Any, NamedTuple, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    WithJsonSchema,
    create_model,
)
from pydantic_core import ErrorDetails, PydanticCustomError

from chaos.domain.customer import Customer
from chaos.domain.features import BOOLEAN, CATEGORICAL, CUSTOMER_FEATURES, EXCLUDED, NUMERIC, RANGES
from chaos.domain.scoring import check_vocabulary
from chaos.domain.vocabulary import NO_LABELS, YES_LABELS
from chaos.entrypoints.web.calibration_schema import CalibrationUsed, Explanation
from chaos.entrypoints.web.plain_customer import PlainCustomer, canonical_labels
from chaos.infrastructure.importing.layouts import INT64

REQUIRED = frozenset(
    {
        "has_default",
        "has_housing_loan",
        "balance",
        "nb_contact",
        "nb_day_last_contact",
        "nb_contact_last_campaign",
    }
)
FLAG_SPELLINGS = sorted(YES_LABELS | NO_LABELS)
CONTACT_ID = "id"
"""The caller's contact id: a scoring request's optional field (a score with one is recorded as
served), a batch answer's per-row echo, an outcome report's key; the bank's export's leading index."""
ContactId = Annotated[
    int,
    Field(
        ge=0,
        le=INT64,
        description="the caller's contact id: a score given with one is recorded as served "
        "(`chaos served show <id>`), and the id is echoed in the answer",
    ),
]

Day = date
"""`date` under a name that a field called `date` does not hide."""
Body = TypeVar("Body", bound=BaseModel)

EARLIEST_DATE = date(1900, 1, 1)
"""Older dates are refused: the as-of rule and the calibration look back from the contact day, which
must not run off the calendar (year 1), and no bank data is that old."""
MAX_DAYS_AHEAD = 366
"""Campaigns are planned at most a year ahead; a later date would silently be scored with today's
indicators, so it is refused instead."""

MAX_UNKNOWN_FIELDS_LISTED = 20
"""Unknown fields named one by one; beyond this one summary error keeps the answer small."""
MAX_ERRORS_LISTED = 100
"""Errors one answer lists; the rest are counted (`error_count`), so a 422 stays small whatever the input."""

EXAMPLE_REQUEST = {
    "age": 41,
    "job_type": "Technicien",
    "status": "Marié",
    "education": "Secondaire",
    "has_default": False,
    "balance": 1250,
    "has_housing_loan": True,
    "has_perso_loan": False,
    "contact": "Portable",
    "nb_contact": 2,
    "nb_day_last_contact": -1,
    "nb_contact_last_campaign": 0,
    "result_last_campaign": None,
}
"""The request the README and `chaos serve` show (no date: scored for today); tests send it."""


class InvalidJson(ValueError):
    """The body is not JSON at all (400), as opposed to JSON with bad fields (422); `line` and
    `column` (1-based) locate the fault when the parser could tell."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.line = line
        self.column = column


class InvalidFields(ValueError):
    """Bad fields of a request body: `errors` holds `{field, message, allowed?}` items, at most
    MAX_ERRORS_LISTED of them; `total` counts them all."""

    def __init__(self, errors: list[dict[str, Any]], total: int | None = None):
        super().__init__("; ".join(f"{error['field']}: {error['message']}" for error in errors))
        self.errors = errors[:MAX_ERRORS_LISTED]
        self.total = len(errors) if total is None else total


class _StrictBody(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class CustomerRequest(_StrictBody):
    # The base of the model each AppetenceSchema builds from its vocabulary, which adds the features
    # and the date's horizon check: what the code reads from a validated request is declared here.
    date: Day | None = None
    id: int | None = None


class Contact(NamedTuple):
    """A customer to score and the caller's contact id (None: not given, the score is not recorded)."""

    id: int | None
    customer: Customer


class AppetenceResponse(_StrictBody):
    appetence: Annotated[float, Field(ge=0, le=1)]
    model_version: str
    socio_eco_date: date
    calibration: CalibrationUsed
    id: ContactId | None = None
    """The request's contact id, echoed when it carried one."""
    explanation: Explanation | None = None


class AppetenceSchema:
    """Parses request bodies into `Customer`s for one served model."""

    def __init__(self, vocabulary: Mapping[str, Sequence[str]]):
        check_vocabulary(vocabulary)
        self.vocabulary = {name: list(vocabulary[name]) for name in CATEGORICAL}
        self.request_model = _request_model(self.vocabulary)
        self.allowed = _allowed(self.vocabulary)
        self.plain = PlainCustomer(self.vocabulary, REQUIRED, _within_horizon, _flag)

    def parse(self, body: bytes, today: date) -> Contact:
        """The customer a JSON body describes, with its contact id; raises InvalidJson or InvalidFields.
        The common shape is read directly (plain_customer.py); the request model reads the rest."""
        plain = self.plain.read(body)
        if plain is not None:
            contact_id, day, features = plain
            return Contact(contact_id, Customer(day or today, features))
        return self.contact(self.validate_json(self.request_model, body), today)

    @classmethod
    def contact(cls, request: CustomerRequest, today: date) -> Contact:
        return Contact(request.id, cls.customer(request, today))

    @staticmethod
    def customer(request: CustomerRequest, today: date) -> Customer:
        return Customer(request.date or today, request.model_dump(include=set(CUSTOMER_FEATURES)))

    def validate_json(
        self, model: type[Body], body: bytes, locate: Callable[[dict], dict] = lambda error: error
    ) -> Body:
        """`body` validated by `model` (this schema's or one built on it); raises InvalidJson, or
        InvalidFields with every error passed through `locate`."""
        try:
            return model.model_validate_json(body)
        except ValidationError as error:
            for item in error.errors():
                if item["type"] == "json_invalid":
                    raise _invalid_json(item["ctx"]["error"]) from None
            raise InvalidFields([locate(item) for item in self.field_errors(error)]) from None

    def field_errors(self, error: ValidationError, prefix: tuple = ()) -> list[dict[str, Any]]:
        """One `{field, message, allowed?}` per problem; `prefix` locates the body (e.g. a batch row)."""
        items = error.errors(include_url=False)
        unknown = [item for item in items if item["type"] == "extra_forbidden"]
        unlisted = {id(item) for item in unknown[MAX_UNKNOWN_FIELDS_LISTED:]}
        errors = [self._field_error(item, prefix) for item in items if id(item) not in unlisted]
        if unlisted:
            errors.append(
                {
                    "field": ".".join(str(part) for part in prefix) or "body",
                    "message": f"{len(unlisted)} more unknown fields, not listed",
                    "allowed": sorted(self.allowed),
                }
            )
        return errors

    def _field_error(self, item: ErrorDetails, prefix: tuple) -> dict[str, Any]:
        location = (*prefix, *item["loc"])
        name = str(item["loc"][-1]) if item["loc"] else None
        field = ".".join(str(part) for part in location) or "body"
        if item["type"] == "extra_forbidden":
            reason = EXCLUDED.get(name or "", "")
            message = "unknown field" + (f": {reason}" if reason else "")
            return {"field": field, "message": message, "allowed": sorted(self.allowed)}
        if item["type"] == "model_type":
            return {"field": field, "message": "the body must be a JSON object of customer features"}
        error = {"field": field, "message": item["msg"]}
        if name in self.allowed:
            error["allowed"] = self.allowed[name]
        return error


def _request_model(vocabulary: Mapping[str, list[str]]) -> type[CustomerRequest]:
    fields: dict[str, Any] = {
        "date": (Annotated[date | None, AfterValidator(_within_horizon)], None),
        CONTACT_ID: (ContactId | None, None),
    }
    for name in CATEGORICAL:
        labels = WithJsonSchema({"anyOf": [{"enum": vocabulary[name]}, {"type": "null"}]})
        fields[name] = (
            Annotated[str | None, AfterValidator(_label_checker(name, vocabulary[name])), labels],
            None,
        )
    flag = WithJsonSchema({"anyOf": [{"type": "boolean"}, {"enum": FLAG_SPELLINGS}]})
    for name in BOOLEAN:
        fields[name] = _field(name, Annotated[bool, BeforeValidator(_flag), flag])
    for name in NUMERIC:
        low, high = RANGES[name]
        fields[name] = _field(name, Annotated[int, Field(ge=low, le=high), BeforeValidator(_integral)])
    return create_model("AppetenceRequest", __base__=CustomerRequest, **fields)


def _field(name: str, annotation) -> tuple:
    return (annotation, ...) if name in REQUIRED else (annotation | None, None)


def _label_checker(name: str, labels: list[str]):
    canonical = canonical_labels(labels)

    def check(value: str | None) -> str | None:
        if value is None:
            return None
        try:
            return canonical[value.strip().casefold()]
        except KeyError:
            raise PydanticCustomError(
                "unknown_label",
                "'{value}' is not a {name} the model knows (null means unknown)",
                {"value": value, "name": name},
            ) from None

    return check


def _within_horizon(value: date | None) -> date | None:
    if value is not None and value < EARLIEST_DATE:
        raise PydanticCustomError(
            "date_too_early",
            "{value} is before {earliest}: no call log nor indicators go back that far",
            {"value": str(value), "earliest": str(EARLIEST_DATE)},
        )
    limit = date.today() + timedelta(days=MAX_DAYS_AHEAD)
    if value is not None and value > limit:
        raise PydanticCustomError(
            "date_too_far",
            "{value} is after {limit}: dates may be at most {days} days ahead",
            {"value": str(value), "limit": str(limit), "days": MAX_DAYS_AHEAD},
        )
    return value


def _integral(value: object) -> object:
    """41.0 is an integer in JSON (and in the JSON Schema the API publishes): accept it as 41. 41.5,
    "41" and 1e400 are left for strict validation to refuse."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _flag(value: object) -> object:
    """Yes/no spellings become booleans; anything else is left for strict bool validation to refuse."""
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in YES_LABELS:
            return True
        if lowered in NO_LABELS:
            return False
    return value


def _allowed(vocabulary: Mapping[str, list[str]]) -> dict[str, Any]:
    """What each field accepts, sent back with any error about it."""
    allowed: dict[str, Any] = {
        "date": f"YYYY-MM-DD from {EARLIEST_DATE}, at most {MAX_DAYS_AHEAD} days ahead "
        "(optional, default today)",
        CONTACT_ID: f"your contact id, an integer from 0 to {INT64} (optional: a score with an id is "
        "recorded as served)",
    }
    for name in CATEGORICAL:
        allowed[name] = [*vocabulary[name], None]
    for name in BOOLEAN:
        allowed[name] = f"true, false or one of {FLAG_SPELLINGS}" + ("" if name in REQUIRED else ", or null")
    for name in NUMERIC:
        low, high = RANGES[name]
        allowed[name] = f"an integer from {low} to {high}" + ("" if name in REQUIRED else ", or null")
    return allowed


def _invalid_json(message: str) -> InvalidJson:
    """pydantic's JSON error, which ends with its position (`... at line 2 column 6`)."""
    position = re.search(r" at line (\d+) column (\d+)$", message)
    if position is None:
        return InvalidJson(message)
    return InvalidJson(message, int(position[1]), int(position[2]))
