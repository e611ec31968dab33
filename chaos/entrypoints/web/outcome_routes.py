"""`POST /outcomes`: marketing tools report what became of their calls (JSON or CSV), all rows or
none, and learn how many were new, resolved or unchanged."""

from flask import Blueprint, request
from pydantic import BaseModel

from chaos.entrypoints.web.auth import caller_id
from chaos.entrypoints.web.batch_routes import (
    CSV,
    IGNORED_HEADER,
    JSON,
    MAX_ROW_BYTES,
    bounded_list,
    streamed_body,
    unsupported_media,
)
from chaos.entrypoints.web.extension import current_serving
from chaos.entrypoints.web.json_answer import json_answer
from chaos.entrypoints.web.operations import Operation, problems, schema
from chaos.entrypoints.web.outcome_schema import CONTACT_ID, EXAMPLE_OUTCOMES, OUTCOME
from chaos.entrypoints.web.query_flags import true_or_false
from chaos.infrastructure.api_keys import Scope

blueprint = Blueprint("outcomes", __name__)

REPLACE_PARAMETER = "replace"


class OutcomeTally(BaseModel):
    """What the request did, row by row counted: all its rows were applied."""

    count: int
    new: int
    """Contacts reported for the first time."""
    resolved: int
    """Pending contacts now resolved."""
    unchanged: int
    """Rows that said what was already known."""
    replaced: int
    """Known contacts given another status or other fields (only with `?replace=true`)."""


_CSV_EXAMPLE = (
    f"{CONTACT_ID},{OUTCOME},date,age,job_type,status,education,has_default,balance,has_housing_loan,"
    "has_perso_loan,contact,nb_contact,nb_day_last_contact,nb_contact_last_campaign,result_last_campaign\n"
    "41188,Souscrit,2026-11-30,41,Technicien,Marié,Secondaire,false,1250,true,false,Portable,2,-1,0,\n"
    "41187,Refus,,,,,,,,,,,,,,\n"
)


@blueprint.post("/outcomes")
@Operation(
    "reportOutcomes",
    "Report what became of calls (JSON or CSV)",
    f"Each row: the contact's `{CONTACT_ID}`, its `{OUTCOME}` (Souscrit, Refus, Absent, Suppression, "
    "En Attente) and, the first time the contact is reported, the contact `date` (not in the future) "
    "and the customer's fields exactly as they were scored (`POST /appetence`); a contact reported "
    "before may be sent with its status alone. Idempotent by contact id: the same status again "
    "changes nothing, a resolved status replaces `En Attente`; another resolved status, `En Attente` "
    "after a resolution, or other fields are a 409 naming the rows, unless `?replace=true`. All rows "
    "are applied or none (422 naming the bad rows: the first 100 errors and `error_count`; an id "
    "twice in a request, a status alone for an unknown contact, or a contact never scored with its id nor "
    "imported unless `outcomes.unknown_contacts: accept`, is one). Each row written names the key; a key "
    "writes at most `outcomes.max_daily_reports_per_key` rows a UTC day. At most {max_rows} rows "
    "(413 above). Reports sent at once are each applied whole, as if alone; one kept waiting by the "
    "others' writes is a 429. CSV: the bank's export as it is (its leading index is the contact id, "
    "`statut` the status; `duree_contact` is ignored and named in "
    f"`{IGNORED_HEADER}`) or canonical columns; a cell that looks like a spreadsheet formula is refused.",
    answer={"application/json": {"schema": schema("OutcomeTally")}},
    scope=Scope.REPORT_OUTCOMES,
    parameters=(REPLACE_PARAMETER, "requestId"),
    body={
        "application/json": {"schema": schema("OutcomeReportRequest"), "example": EXAMPLE_OUTCOMES},
        "text/csv": {"schema": {"type": "string"}, "example": _CSV_EXAMPLE},
    },
    answer_headers={IGNORED_HEADER: {"schema": {"type": "string"}, "required": False}},
    problems={
        **problems(400, 413, 415, 422, 503),
        409: "a row would change what is known of its contact (see `errors`); `?replace=true` applies it",
        429: "`reports-busy`: other reports' writes kept this one waiting past "
        "`database.report_lock_timeout_ms`, send it again after Retry-After seconds; or "
        "`report-volume-exceeded`: the key would pass `outcomes.max_daily_reports_per_key` rows today "
        "(UTC; `daily_limit`, `written_today`, `rows`). Nothing was recorded",
    },
)
def outcomes():
    serving = current_serving()
    replace_known = true_or_false(REPLACE_PARAMETER)
    schema = serving.schemas.of(serving.service.models.default).outcomes
    request.max_content_length = schema.reader.max_rows * MAX_ROW_BYTES
    ignored: tuple[str, ...] = ()
    with streamed_body() as streamed:
        if streamed.mimetype == JSON:
            reports = schema.parse_json(streamed.chunks())
        elif streamed.mimetype == CSV:
            reports, ignored = schema.parse_csv(streamed.get_data(cache=False))
        else:
            raise unsupported_media('{"outcomes": [...]}')
    tally = serving.reports.record(caller_id(), reports, replace_known)
    body = OutcomeTally(
        count=len(reports),
        new=tally.new,
        resolved=tally.resolved,
        unchanged=tally.unchanged,
        replaced=tally.replaced,
    )
    headers = {IGNORED_HEADER: bounded_list(ignored)} if ignored else {}
    return json_answer(body, headers)
