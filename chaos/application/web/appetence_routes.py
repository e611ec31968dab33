"""`POST /appetence`: one customer's features in, their appetence out (DESIGN §4)."""

from datetime import date

from flask import Blueprint, request

from chaos.application.web.appetence_schema import AppetenceResponse
from chaos.application.web.calibration_schema import calibration_used
from chaos.application.web.explanation import explain_requested, explanation
from chaos.application.web.problems import Problem
from chaos.application.web.scoring_context import chosen_model, log_customers, record_scores
from chaos.application.web.serving import current_serving

blueprint = Blueprint("appetence", __name__)


@blueprint.post("/appetence")
def appetence():
    if not request.is_json:
        raise Problem(
            415,
            "Unsupported Media Type",
            f"send the customer as 'Content-Type: application/json', not {request.mimetype or 'none'}",
        )
    served = chosen_model()
    explain = explain_requested()
    customer = served.schema.parse(request.get_data(cache=False), today=date.today())
    log_customers([customer])
    database = current_serving().database
    result = customer.appetence(database.repository, served.model, database.calibrations)
    record_scores([result])
    answer = AppetenceResponse(
        appetence=result.appetence,
        model_version=result.model_version,
        socio_eco_date=result.socio_eco_date,
        calibration=calibration_used(result.calibration),
        explanation=explanation(result, served.model) if explain else None,
    )
    return answer.model_dump(mode="json", exclude=None if explain else {"explanation"})
