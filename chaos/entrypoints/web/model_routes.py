"""`GET /models`, `GET /models/<version>` and its `/report`: which models exist, how they were
trained and scored, which is the champion and which answers by default. Answers go through the
pydantic models below, which are also the OpenAPI schemas: what is documented is what is sent."""

from datetime import datetime
from typing import Any

from flask import Blueprint, Response
from pydantic import BaseModel, ConfigDict

from chaos.entrypoints.web.extension import current_serving
from chaos.entrypoints.web.operations import Operation, schema
from chaos.infrastructure.api_keys import Scope

blueprint = Blueprint("models", __name__)


class ModelSummary(BaseModel):
    model_config = ConfigDict(extra="ignore")

    version: str
    champion: bool
    default: bool
    trained_at: datetime | None = None
    model_family: str | None = None
    data: dict[str, str | int | float | None] | None = None
    metrics: dict[str, float | None] | None = None
    problem: str | None = None
    """Why a saved version cannot be described (unreadable metadata); absent when all is well."""


class ModelList(BaseModel):
    models: list[ModelSummary]
    champion_problem: str | None = None
    """Why the champion pointer as written is refused (unsigned, forged or replayed): the champion
    shown is then the newest one proven; absent when the pointer is followed."""
    problems: list[str] = []
    """Objects of the store refused on their own (a link, a forged history entry...), one line each."""


class ModelDetails(ModelSummary):
    features: dict[str, list[str]] | None = None
    vocabulary: dict[str, list[str]] | None = None
    excluded: dict[str, str] | None = None
    library_versions: dict[str, str] | None = None
    training_window: dict[str, str | None] | None = None
    promotion: dict[str, Any] | None = None
    """The gate's verdict against the champion of the day (`decision`: first champion, promoted,
    refused, forced or not requested) and the figures it compared."""


@blueprint.get("/models")
@Operation(
    "listModels",
    "Saved model versions",
    "Newest first, with training date, data range, holdout metrics, champion and default flags; why "
    "the champion pointer is refused, if it is, and the store's objects refused on their own.",
    answer={"application/json": {"schema": schema("ModelList")}},
    scope=Scope.READ_MODELS,
)
def models():
    listing = current_serving().service.summaries()
    return ModelList.model_validate(listing).model_dump(mode="json", exclude_none=True)


@blueprint.get("/models/<version>")
@Operation(
    "getModel",
    "One model version's metadata",
    "",
    answer={"application/json": {"schema": schema("ModelDetails")}},
    scope=Scope.READ_MODELS,
    problems={404: "no model of this version"},
)
def model(version: str):
    details = current_serving().service.describe(version)
    return ModelDetails.model_validate(details).model_dump(mode="json", exclude_none=True)


@blueprint.get("/models/<version>/report")
@Operation(
    "getModelReport",
    "One model version's report",
    "A self-contained HTML page (charts inline, nothing fetched): the holdout's figures with their 95% "
    "intervals by resampling months and the figures of its steady months, ROC and precision-recall "
    "curves, reliability by decile, observed vs predicted rate by month, per-feature terms, the "
    "walk-forward backtest and the comparison with the champion it was trained against.",
    answer={"text/html": {"schema": {"type": "string"}}},
    scope=Scope.READ_MODELS,
    problems={404: "no model of this version, or one saved without a report"},
)
def report(version: str):
    return Response(current_serving().service.report(version), mimetype="text/html")
