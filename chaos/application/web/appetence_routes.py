"""`POST /appetence`: one customer's features in, their appetence out (DESIGN §4)."""

from datetime import date

from flask import Blueprint, request

from chaos.application.web.appetence_schema import AppetenceResponse
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
    customer = served.schema.parse(request.get_data(cache=False), today=date.today())
    log_customers([customer])
    serving = current_serving()
    result = customer.appetence(serving.database.repository, served.model, serving.max_age_days)
    record_scores([result])
    return AppetenceResponse.model_validate(result, from_attributes=True).model_dump(mode="json")
