"""`POST /appetence/batch`: a campaign list in (JSON or CSV), the whole list back: every customer's
appetence, or, for a valid row chaos lacks the data to score, a per-row problem. An invalid list is
refused whole, with a 422 naming every bad row."""

import io
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import cast

from flask import Blueprint, Response, request

from chaos.domain.campaign import Unscorable
from chaos.domain.customer import Appetence, Customer
from chaos.entrypoints.web.appetence_schema import CONTACT_ID, EXAMPLE_REQUEST, MAX_ERRORS_LISTED
from chaos.entrypoints.web.auth import key_id
from chaos.entrypoints.web.batch_schema import (
    COLUMNS,
    BatchResponse,
    BatchResult,
    RowProblem,
    cell_text,
)
from chaos.entrypoints.web.bounded_request import BoundedRequest
from chaos.entrypoints.web.calibration_schema import calibration_used
from chaos.entrypoints.web.extension import current_serving
from chaos.entrypoints.web.json_answer import json_answer
from chaos.entrypoints.web.operations import SCORING_PARAMETERS, UNKNOWN_MODEL, Operation, problems, schema
from chaos.entrypoints.web.problem_types import UNSUPPORTED_MEDIA_TYPE
from chaos.entrypoints.web.problems import Problem, unscorable_problem
from chaos.infrastructure.api_keys import Scope
from chaos.infrastructure.csv_output import SafeWriter

blueprint = Blueprint("batch", __name__)

JSON, CSV = "application/json", "text/csv"
IGNORED_HEADER = "X-Ignored-Columns"
"""Lists the CSV body's columns that are not model inputs (the export's index, statut, duree_contact)."""
MAX_IGNORED_BYTES = 1000
"""The longest `X-Ignored-Columns`: far under any proxy's header buffer (nginx's is 4 KiB by default)."""
MAX_ROW_BYTES = 1024
"""Body bytes allowed per row of the limit: a row takes about 300 bytes in JSON, less in CSV."""
ANSWER_COLUMNS = (
    "appetence",
    "calibration_shift",
    "calibration_window_days",
    "calibration_stale",
    "problem",
    "problem_detail",
)
"""The CSV answer's columns after the customer's."""


_JSON_EXAMPLE = {
    "customers": [
        {CONTACT_ID: 41_188, **EXAMPLE_REQUEST},
        {CONTACT_ID: 41_189, **EXAMPLE_REQUEST, "age": 67, "job_type": "Retraité"},
    ]
}
_CSV_EXAMPLE = "".join(
    ",".join(row) + "\n"
    for row in (
        (CONTACT_ID, *COLUMNS),
        ["41188", *(cell_text(EXAMPLE_REQUEST.get(name)) for name in COLUMNS)],
    )
)


@blueprint.post("/appetence/batch")
@Operation(
    "scoreBatch",
    "Appetences of a campaign list (JSON or CSV)",
    "All customers are valid or none is scored (422 naming the bad rows: the first "
    f"{MAX_ERRORS_LISTED} errors and `error_count`). A valid list is answered whole with a 200: a row "
    "chaos cannot score for lack of data (no indicators dated before its date, or indicators older "
    "than socio_eco.max_age_days) gets a `problem` (the no-indicators or stale-indicators problem, "
    "without status) and null `appetence`, `socio_eco_date` and `calibration`, the other rows are "
    "scored; `unscored` counts such rows. At most {max_rows} customers (413 above). "
    "CSV: the bank's export as it is (UTF-8 or Latin-1, `;` or `,`, French headers, `123` = unknown "
    f"age) or canonical column names ({', '.join(COLUMNS)}); empty cell = unknown; the export's "
    "columns that are not model inputs (statut, duree_contact) are ignored and named in "
    f"`{IGNORED_HEADER}`, other unknown columns are refused. Each row may carry the caller's contact "
    "`id` (JSON field, CSV column; the export's unnamed leading index is the id): it is echoed on "
    "its row and the row's score is recorded as served (`chaos served show <id>`; a row without a "
    "score is not recorded). Send `Accept: text/csv` for the list back as CSV, in the same order, "
    f"with the `id` first and the columns {', '.join(ANSWER_COLUMNS)} (all but `problem` and "
    "`problem_detail` empty on a row without a score, those two empty on a scored row).",
    answer={
        "application/json": {"schema": schema("BatchResponse")},
        "text/csv": {"schema": {"type": "string"}},
    },
    scope=Scope.SCORE,
    parameters=SCORING_PARAMETERS,
    body={
        "application/json": {"schema": schema("AppetenceBatchRequest"), "example": _JSON_EXAMPLE},
        "text/csv": {"schema": {"type": "string"}, "example": _CSV_EXAMPLE},
    },
    answer_headers={
        "X-Model-Version": {"schema": {"type": "string"}, "required": True},
        IGNORED_HEADER: {"schema": {"type": "string"}, "required": False},
    },
    problems={**problems(400, 413, 415, 422, 503), **UNKNOWN_MODEL},
)
def batch():
    serving = current_serving()
    model = serving.chosen_model()
    schema = serving.schemas.of(model).batch
    request.max_content_length = schema.max_rows * MAX_ROW_BYTES
    with streamed_body() as streamed:
        if streamed.mimetype == JSON:
            batch = schema.parse_json(streamed.chunks(), today=date.today())
        elif streamed.mimetype == CSV:
            batch = schema.parse_csv(streamed.get_data(cache=False), today=date.today())
        else:
            raise unsupported_media('{"customers": [...]}')
    customers = batch.customers
    results = serving.service.score_campaign(customers, model, batch.ids, key_id())
    headers = {"X-Model-Version": model.version}
    if batch.ignored:
        headers[IGNORED_HEADER] = bounded_list(batch.ignored)
    if request.accept_mimetypes.best_match([JSON, CSV]) == CSV:
        return Response(_csv(batch.ids, customers, results), mimetype=CSV, headers=headers)
    body = BatchResponse(
        model_version=model.version,
        count=len(results),
        unscored=sum(not isinstance(result, Appetence) for result in results),
        results=[_result(contact_id, result) for contact_id, result in zip(batch.ids, results, strict=True)],
    )
    return json_answer(body, headers)


def _result(contact_id: int | None, result: Appetence | Unscorable) -> BatchResult:
    if not isinstance(result, Appetence):
        problem = RowProblem.model_validate(unscorable_problem(result).of_row())
        return BatchResult(
            appetence=None, socio_eco_date=None, calibration=None, id=contact_id, problem=problem
        )
    return BatchResult(
        appetence=result.appetence,
        socio_eco_date=result.socio_eco_date,
        calibration=calibration_used(result.calibration),
        id=contact_id,
    )


@contextmanager
def streamed_body() -> Iterator[BoundedRequest]:
    """The request, for a reader that streams its body; what the reader leaves unread (a body refused
    early) is read and dropped afterwards, so that the client still gets the answer."""
    body = cast(BoundedRequest, request)
    try:
        yield body
    finally:
        body.discard_rest()


def unsupported_media(json_shape: str) -> Problem:
    """The 415 of a route that reads rows as JSON (`json_shape`) or CSV."""
    return Problem(
        UNSUPPORTED_MEDIA_TYPE,
        f"send {JSON} ({json_shape}) or {CSV} (the bank's export or canonical columns), "
        f"not {request.mimetype or 'none'}",
    )


def bounded_list(names: tuple[str, ...]) -> str:
    """The names, comma-separated, cut at MAX_IGNORED_BYTES with how many more were ignored. The
    header is Latin-1 on the wire: a character it cannot hold is sent escaped."""
    listed: list[str] = []
    size = 0
    for position, name in enumerate(names):
        spelled = name.encode("latin-1", "backslashreplace").decode("latin-1")
        size += len(spelled) + (2 if listed else 0)
        if size + len(f" (+{len(names)} more)") > MAX_IGNORED_BYTES:
            return f"{', '.join(listed)} (+{len(names) - position} more)"
        listed.append(spelled)
    return ", ".join(listed)


def _csv(ids: list[int | None], customers: list[Customer], results: list[Appetence | Unscorable]) -> str:
    """The contact id (empty where none was given) and the canonical columns as chaos understood
    them (labels in their training spelling), plus `appetence` and the calibration it used (shift,
    trailing window in days, empty for none, and whether it was stale), or the problem's type and
    detail for a row without a score: a list the caller can re-import next to their own, safe to open
    in a spreadsheet."""
    output = io.StringIO()
    writer = SafeWriter(output, lineterminator="\n")
    writer.writerow([CONTACT_ID, *COLUMNS, *ANSWER_COLUMNS])
    for contact_id, customer, result in zip(ids, customers, results, strict=True):
        features = [cell_text(customer.features[name]) for name in COLUMNS[1:]]
        writer.writerow(
            [cell_text(contact_id), customer.contact_date.isoformat(), *features, *_answer_cells(result)]
        )
    return output.getvalue()


def _answer_cells(result: Appetence | Unscorable) -> list[str]:
    """The cells of ANSWER_COLUMNS."""
    if not isinstance(result, Appetence):
        problem = unscorable_problem(result).body
        return ["", "", "", "", problem["type"], problem["detail"]]
    calibration = result.calibration
    return [
        repr(result.appetence),
        repr(calibration.shift),
        cell_text(calibration.window_days),
        cell_text(calibration.stale),
        "",
        "",
    ]
