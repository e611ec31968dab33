"""`POST /appetence/batch`: a campaign list in (JSON or CSV), every customer's appetence out, or
nothing at all and a 422 naming every bad row."""

import csv
import io
from datetime import date

from flask import Blueprint, Response, request

from chaos.application.web import metrics
from chaos.application.web.batch_schema import COLUMNS, BatchResponse, BatchResult, cell_text
from chaos.application.web.calibration_schema import calibration_used
from chaos.application.web.problems import Problem
from chaos.application.web.scoring_context import chosen_model, log_customers, record_scores
from chaos.application.web.serving import current_serving
from chaos.domain.campaign import score_campaign
from chaos.domain.customer import Appetence, Customer

blueprint = Blueprint("batch", __name__)

JSON, CSV = "application/json", "text/csv"
MAX_ROW_BYTES = 1024
"""Body bytes allowed per row of the limit: a row takes about 300 bytes in JSON, less in CSV."""


@blueprint.post("/appetence/batch")
def batch():
    served = chosen_model()
    schema = served.batch
    request.max_content_length = schema.max_rows * MAX_ROW_BYTES
    if request.mimetype == JSON:
        customers = schema.parse_json(request.get_data(cache=False), today=date.today())
    elif request.mimetype == CSV:
        customers = schema.parse_csv(request.get_data(cache=False), today=date.today())
    else:
        raise Problem(
            415,
            "Unsupported Media Type",
            f'send {JSON} ({{"customers": [...]}}) or {CSV} (canonical columns), '
            f"not {request.mimetype or 'none'}",
        )
    log_customers(customers)
    database = current_serving().database
    results = score_campaign(customers, database.repository, served.model, database.calibrations)
    record_scores(results)
    metrics.BATCH_ROWS.observe(len(results))
    headers = {"X-Model-Version": served.model.version}
    if request.accept_mimetypes.best_match([JSON, CSV]) == CSV:
        return Response(_csv(customers, results), mimetype=CSV, headers=headers)
    body = BatchResponse(
        model_version=served.model.version,
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
    `appetence`: a list the caller can re-import next to their own."""
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\n")
    writer.writerow([*COLUMNS, "appetence"])
    for customer, result in zip(customers, results, strict=True):
        features = [cell_text(customer.features[name]) for name in COLUMNS[1:]]
        writer.writerow([customer.contact_date.isoformat(), *features, repr(result.appetence)])
    return output.getvalue()
