"""`POST /appetence/batch`: a campaign list in (JSON or CSV), every customer's appetence out, or
nothing at all and a 422 naming every bad row."""

import csv
import io
from datetime import date

from flask import Blueprint, Response, request

from chaos.domain.customer import Appetence, Customer
from chaos.entrypoints.web.appetence_schema import EXAMPLE_REQUEST, MAX_ERRORS_LISTED
from chaos.entrypoints.web.batch_schema import COLUMNS, BatchResponse, BatchResult, cell_text
from chaos.entrypoints.web.calibration_schema import calibration_used
from chaos.entrypoints.web.extension import current_serving
from chaos.entrypoints.web.operations import SCORING_PARAMETERS, UNKNOWN_MODEL, Operation, problems, schema
from chaos.entrypoints.web.problems import Problem

blueprint = Blueprint("batch", __name__)

JSON, CSV = "application/json", "text/csv"
IGNORED_HEADER = "X-Ignored-Columns"
"""Lists the CSV body's columns that are not model inputs (the export's index, statut, duree_contact)."""
MAX_ROW_BYTES = 1024
"""Body bytes allowed per row of the limit: a row takes about 300 bytes in JSON, less in CSV."""


_JSON_EXAMPLE = {"customers": [EXAMPLE_REQUEST, {**EXAMPLE_REQUEST, "age": 67, "job_type": "Retraité"}]}
_CSV_EXAMPLE = "".join(
    ",".join(row) + "\n" for row in (COLUMNS, [cell_text(EXAMPLE_REQUEST.get(name)) for name in COLUMNS])
)


@blueprint.post("/appetence/batch")
@Operation(
    "scoreBatch",
    "Appetences of a campaign list (JSON or CSV)",
    "All customers are valid or none is scored (422 naming the bad rows: the first "
    f"{MAX_ERRORS_LISTED} errors and `error_count`). At most {{max_rows}} customers (413 above). "
    "CSV: the bank's export as it is (UTF-8 or Latin-1, `;` or `,`, French headers, `123` = unknown "
    f"age) or canonical column names ({', '.join(COLUMNS)}); empty cell = unknown; the export's "
    "columns that are not model inputs (index, statut, duree_contact) are ignored and named in "
    f"`{IGNORED_HEADER}`, other unknown columns are refused. Send `Accept: text/csv` for the list "
    "back as CSV, in the same order, with `appetence`, `calibration_shift`, "
    "`calibration_window_days` and `calibration_stale` columns.",
    answer={
        "application/json": {"schema": schema("BatchResponse")},
        "text/csv": {"schema": {"type": "string"}},
    },
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
    if request.mimetype == JSON:
        batch = schema.parse_json(request.get_data(cache=False), today=date.today())
    elif request.mimetype == CSV:
        batch = schema.parse_csv(request.get_data(cache=False), today=date.today())
    else:
        raise Problem(
            415,
            "Unsupported Media Type",
            f'send {JSON} ({{"customers": [...]}}) or {CSV} (the bank\'s export or canonical columns), '
            f"not {request.mimetype or 'none'}",
        )
    customers = batch.customers
    results = serving.service.score_campaign(customers, model)
    headers = {"X-Model-Version": model.version}
    if batch.ignored:
        headers[IGNORED_HEADER] = ", ".join(batch.ignored)
    if request.accept_mimetypes.best_match([JSON, CSV]) == CSV:
        return Response(_csv(customers, results), mimetype=CSV, headers=headers)
    body = BatchResponse(
        model_version=model.version,
        count=len(results),
        results=[
            BatchResult(
                appetence=r.appetence,
                socio_eco_date=r.socio_eco_date,
                calibration=calibration_used(r.calibration),
            )
            for r in results
        ],
    )
    return body.model_dump(mode="json"), 200, headers


def _csv(customers: list[Customer], results: list[Appetence]) -> str:
    """The canonical columns as chaos understood them (labels in their training spelling), plus
    `appetence` and the calibration it used (shift, trailing window in days, empty for none, and
    whether it was stale):
    a list the caller can re-import next to their own."""
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\n")
    writer.writerow(
        [*COLUMNS, "appetence", "calibration_shift", "calibration_window_days", "calibration_stale"]
    )
    for customer, result in zip(customers, results, strict=True):
        features = [cell_text(customer.features[name]) for name in COLUMNS[1:]]
        calibration = result.calibration
        writer.writerow(
            [
                customer.contact_date.isoformat(),
                *features,
                repr(result.appetence),
                repr(calibration.shift),
                cell_text(calibration.window_days),
                cell_text(calibration.stale),
            ]
        )
    return output.getvalue()
