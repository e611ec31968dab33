"""What the scoring routes share beyond the core: the model registry (`?model=`), the customer-field
logging policy, the score metrics, and the problems specific to them (404 model, 413 rows, 422 rows)."""

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from flask import Flask, Response, current_app, request

from chaos.application.web import metrics
from chaos.application.web.batch_schema import TooManyRows
from chaos.application.web.model_registry import ModelRegistry, ServedModel, UnknownModel
from chaos.application.web.problems import Problem, allowed_dates
from chaos.domain.campaign import NoIndicatorsForRows
from chaos.domain.customer import Appetence, Customer

EXTENSION = "chaos.scoring"
MODEL_PARAMETER = "model"
logger = logging.getLogger("chaos.scoring")


@dataclass(frozen=True)
class ScoringContext:
    registry: ModelRegistry
    log_customer_fields: bool


def install(app: Flask, context: ScoringContext) -> None:
    app.extensions[EXTENSION] = context
    app.register_error_handler(UnknownModel, _unknown_model)
    app.register_error_handler(TooManyRows, _too_many_rows)
    app.register_error_handler(NoIndicatorsForRows, _no_indicators_for_rows)


def current_context() -> ScoringContext:
    return current_app.extensions[EXTENSION]


def chosen_model() -> ServedModel:
    """The model `?model=<version>` names, else the default; UnknownModel (404) when not servable."""
    registry = current_context().registry
    version = request.args.get(MODEL_PARAMETER)
    served = registry.served(version)
    if version is not None and served is not registry.default:
        metrics.model_loaded(served.model.version, "requested")
    return served


def log_customers(customers: Sequence[Customer]) -> None:
    """Customer fields are personal data: logged only when `logging.log_customer_fields` says so."""
    if current_context().log_customer_fields:
        logger.info(
            "customers to score",
            extra={"customers": [{"date": c.contact_date.isoformat(), **c.features} for c in customers]},
        )


def record_scores(results: Sequence[Appetence]) -> None:
    if results:
        metrics.scores_returned(results[0].model_version, (result.appetence for result in results))


def _unknown_model(error: UnknownModel) -> Response:
    versions = current_context().registry.store.versions()
    return Problem(
        404,
        "Unknown model version",
        str(error),
        slug="unknown-model",
        errors=[{"field": MODEL_PARAMETER, "message": str(error), "allowed": versions}],
    ).response()


def _too_many_rows(error: TooManyRows) -> Response:
    return Problem(413, "Too many customers", str(error), slug="too-many-rows").response()


def _no_indicators_for_rows(error: NoIndicatorsForRows) -> Response:
    allowed = allowed_dates(error.earliest_date)
    message = "no socio-economic indicators dated before this day"
    return Problem(
        422,
        "No socio-economic indicators for these dates",
        f"{len(error.rows)} row(s) have no complete month dated before them; nothing was scored",
        slug="no-indicators",
        errors=[
            {"row": row, "field": "date", "message": f"{message} ({day})", "allowed": allowed}
            for row, day in sorted(error.rows.items())
        ],
    ).response()
