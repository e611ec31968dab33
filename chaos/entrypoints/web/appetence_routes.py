"""`POST /appetence`: one customer's features in, their appetence out."""

from datetime import date

from flask import Blueprint

from chaos.entrypoints.web.appetence_schema import EXAMPLE_REQUEST, AppetenceResponse
from chaos.entrypoints.web.auth import key_id
from chaos.entrypoints.web.calibration_schema import calibration_used
from chaos.entrypoints.web.explanation import explain_requested, explanation
from chaos.entrypoints.web.extension import current_serving
from chaos.entrypoints.web.json_answer import json_answer
from chaos.entrypoints.web.operations import SCORING_PARAMETERS, UNKNOWN_MODEL, Operation, problems, schema
from chaos.entrypoints.web.problem_types import UNSUPPORTED_MEDIA_TYPE
from chaos.entrypoints.web.problems import Problem
from chaos.entrypoints.web.request_context import current_request
from chaos.infrastructure.api_keys import Scope

blueprint = Blueprint("appetence", __name__)


@blueprint.post("/appetence")
@Operation(
    "score",
    "Appetence of one customer",
    "The contact `date` is optional (today); the socio-economic indicators are those of the "
    "latest complete month dated before that day (minus the model's publication lag); a 422 when "
    "they are older than socio_eco.max_age_days. The "
    "probability is calibrated to the subscription rate observed over the trailing days before the "
    "contact day (`calibration` says which, and `stale` when its outcomes are too old): appetence = "
    "sigmoid(`offset` + `slope` × (model log-odds + `shift`)). "
    "With the caller's contact `id`, the answer echoes it and the score is recorded as served "
    "(the contact, its date, the model version, the calibration, the log-odds and the appetence, "
    "with the API key's id): `chaos served show <id>` prints it. "
    "`?explain=true` adds every feature's contribution to the log-odds, largest first: "
    "`calibration_offset` + `calibration_slope` × (`intercept` + the contributions + `calibration_shift`) "
    "= `explanation.log_odds`.",
    answer={"application/json": {"schema": schema("AppetenceResponse")}},
    scope=Scope.SCORE,
    parameters=(*SCORING_PARAMETERS, "explain"),
    body={"application/json": {"schema": schema("AppetenceRequest"), "example": EXAMPLE_REQUEST}},
    problems={**problems(400, 413, 415, 422, 503), **UNKNOWN_MODEL},
)
def appetence():
    request = current_request()
    if not request.is_json:
        raise Problem(
            UNSUPPORTED_MEDIA_TYPE,
            f"send the customer as 'Content-Type: application/json', not {request.mimetype or 'none'}",
        )
    serving = current_serving()
    model = serving.chosen_model()
    contact = serving.schemas.of(model).single.parse(request.get_data(cache=False), today=date.today())
    explain = explain_requested()
    result = serving.service.score_one(contact.customer, model, contact.id, key_id())
    answer = AppetenceResponse(
        appetence=result.appetence,
        model_version=result.model_version,
        socio_eco_date=result.socio_eco_date,
        calibration=calibration_used(result.calibration),
        id=contact.id,
        explanation=explanation(result, model) if explain else None,
    )
    left_out = ({"id"} if contact.id is None else set()) | (set() if explain else {"explanation"})
    return json_answer(answer, exclude=left_out or None)
