"""`GET /openapi.json` (OpenAPI 3.1) and `GET /docs` (Swagger UI from local files).

The schemas come from the pydantic models that validate the requests and shape the answers,
through pydantic's own `models_json_schema`: pydantic emits JSON Schema 2020-12, which is the
dialect of OpenAPI 3.1, so nothing is translated. The request model is built at start from the
served model's vocabulary, which is why labels appear as enums. Framework extensions such as
spectree or flask-openapi3 were not used: they bind one static model per route at import time
and validate with their own error format, while chaos builds its models at start and answers
every error as problem+json; what remains for this module is the paths, written once below.

Swagger UI's files come from the flask-swagger-ui package (no CDN: users may be offline).
"""

from importlib.metadata import PackageNotFoundError, version
from typing import Any

from flask import Blueprint, Flask
from flask_swagger_ui import get_swaggerui_blueprint
from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import models_json_schema

from chaos.application.web.appetence_schema import EXAMPLE_REQUEST, AppetenceResponse
from chaos.application.web.auth import KEY_HEADER, current_gate
from chaos.application.web.batch_schema import COLUMNS, BatchResponse, cell_text
from chaos.application.web.model_routes import ModelDetails, ModelList
from chaos.application.web.problems import PROBLEM_JSON, RETRY_AFTER_SECONDS
from chaos.application.web.request_id import HEADER as REQUEST_ID
from chaos.application.web.scoring_context import MODEL_PARAMETER, current_context
from chaos.infrastructure.api_keys import DEMO_KEY

DOCS_URL = "/docs"
DOCUMENT_URL = "/openapi.json"
REF = "#/components/schemas/{model}"

blueprint = Blueprint("openapi", __name__)


class FieldProblem(BaseModel):
    row: int | None = Field(None, description="batch only: index of the customer (0 = first)")
    field: str
    message: str
    allowed: Any = Field(None, description="what the field accepts")


class ProblemDetails(BaseModel):
    """RFC 9457 problem details; `errors` names every bad field, `checks` what /ready found."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldProblem] | None = None
    checks: dict[str, str] | None = None


class Health(BaseModel):
    status: str


class Readiness(BaseModel):
    status: str
    model_version: str
    checks: dict[str, str]


@blueprint.get(DOCUMENT_URL)
def document():
    return openapi_document()


def install(app: Flask) -> None:
    app.register_blueprint(blueprint)
    config = {
        "app_name": "chaos API",
        "validatorUrl": None,  # the public validator is remote: stay offline
        "tryItOutEnabled": True,
        "persistAuthorization": True,
        "displayRequestDuration": True,
    }
    app.register_blueprint(get_swaggerui_blueprint(DOCS_URL, DOCUMENT_URL, config=config))


def openapi_document() -> dict[str, Any]:
    registry = current_context().registry
    served = registry.default
    _, schemas = models_json_schema(
        [
            (served.schema.request_model, "validation"),
            (served.batch.request_model, "validation"),
            (AppetenceResponse, "serialization"),
            (BatchResponse, "serialization"),
            (ModelList, "serialization"),
            (ModelDetails, "serialization"),
            (ProblemDetails, "serialization"),
            (Health, "serialization"),
            (Readiness, "serialization"),
        ],
        ref_template=REF,
    )
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "chaos appetence API",
            "version": _package_version(),
            "description": _DESCRIPTION.format(
                model=served.model.version, max_rows=served.batch.max_rows, demo=DEMO_KEY
            ),
        },
        "paths": _paths(served.batch.max_rows),
        "components": {
            "schemas": schemas["$defs"],
            "securitySchemes": {
                "bearerKey": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "Authorization: Bearer <key>",
                },
                "headerKey": {"type": "apiKey", "in": "header", "name": KEY_HEADER},
            },
            "parameters": {
                "model": {
                    "name": MODEL_PARAMETER,
                    "in": "query",
                    "required": False,
                    "description": "score with this model version (GET /models) instead of the default one",
                    "schema": {"type": "string"},
                },
                "requestId": {
                    "name": REQUEST_ID,
                    "in": "header",
                    "required": False,
                    "description": "your id for this call, returned and logged (1-128 of A-Za-z0-9._:@/+=-)",
                    "schema": {"type": "string"},
                },
            },
            "headers": {
                "requestId": {
                    "description": "the request's id",
                    "schema": {"type": "string"},
                    "required": True,
                },
                "retryAfter": {
                    "description": f"seconds to wait before retrying ({RETRY_AFTER_SECONDS})",
                    "schema": {"type": "string", "pattern": "^[0-9]+$"},
                    "required": True,
                },
                "challenge": {
                    "description": "how to authenticate (RFC 6750)",
                    "schema": {"type": "string"},
                    "required": True,
                },
            },
        },
    }


_DESCRIPTION = """Appetence (probability of subscribing to a term deposit) of bank customers.

Authenticate with `Authorization: Bearer <key>` or `X-API-Key: <key>` (the embedded demo accepts
`{demo}`; click *Authorize*). Errors are `application/problem+json`; a 422 lists every bad field
with what it accepts. Default model: `{model}`. Batches: at most {max_rows} customers."""

_PROBLEMS = {
    400: "the body is not valid JSON (or not UTF-8)",
    401: "no API key, or a malformed one; see WWW-Authenticate",
    403: "the API key is not allowed",
    413: "the body is too large",
    415: "wrong Content-Type",
    422: "invalid fields, each named in `errors` with what it accepts",
    503: "the database cannot be read right now; retry after Retry-After seconds",
}
_HEADERS = {401: {"WWW-Authenticate": "challenge"}, 503: {"Retry-After": "retryAfter"}}


def _paths(max_rows: int) -> dict[str, Any]:
    scoring = ["model", "requestId"]
    unknown_model = {404: "no servable model of the version given in `model`"}
    return {
        "/appetence": {
            "post": _operation(
                "score",
                "Appetence of one customer",
                "The contact `date` is optional (today); the socio-economic indicators are those of the "
                "latest complete month dated before that day (minus the model's publication lag).",
                "appetence.appetence",
                parameters=scoring,
                body={"application/json": {"schema": _ref("AppetenceRequest"), "example": EXAMPLE_REQUEST}},
                answer={"application/json": {"schema": _ref("AppetenceResponse")}},
                problems={**_only(400, 413, 415, 422, 503), **unknown_model},
            )
        },
        "/appetence/batch": {
            "post": _operation(
                "scoreBatch",
                "Appetences of a campaign list (JSON or CSV)",
                f"All customers are valid or none is scored (422 naming every bad row). At most {max_rows} "
                "customers (413 above). CSV: UTF-8, comma-separated, a header of canonical column names "
                f"({', '.join(COLUMNS)}), empty cell = unknown. Send `Accept: text/csv` for the list "
                "back as CSV with an `appetence` column.",
                "batch.batch",
                parameters=scoring,
                body={
                    "application/json": {"schema": _ref("AppetenceBatchRequest"), "example": _BATCH_EXAMPLE},
                    "text/csv": {"schema": {"type": "string"}, "example": _CSV_EXAMPLE},
                },
                answer={
                    "application/json": {"schema": _ref("BatchResponse")},
                    "text/csv": {"schema": {"type": "string"}},
                },
                answer_headers={"X-Model-Version": {"schema": {"type": "string"}, "required": True}},
                problems={**_only(400, 413, 415, 422, 503), **unknown_model},
            )
        },
        "/models": {
            "get": _operation(
                "listModels",
                "Saved model versions",
                "Newest first, with training date, data range, holdout metrics, champion and default flags.",
                "models.models",
                answer={"application/json": {"schema": _ref("ModelList")}},
            )
        },
        "/models/{version}": {
            "get": _operation(
                "getModel",
                "One model version's metadata",
                "",
                "models.model",
                path_parameter="version",
                answer={"application/json": {"schema": _ref("ModelDetails")}},
                problems={404: "no model of this version"},
            )
        },
        "/health": {
            "get": _operation(
                "health",
                "Liveness",
                "The process answers; never reads the database.",
                "health.health",
                answer={"application/json": {"schema": _ref("Health")}},
            )
        },
        "/ready": {
            "get": _operation(
                "ready",
                "Readiness",
                "The model is loaded and the database answers.",
                "health.ready",
                answer={"application/json": {"schema": _ref("Readiness")}},
                problems={503: "not ready: `checks` says what failed"},
            )
        },
        "/metrics": {
            "get": _operation(
                "metrics",
                "Prometheus metrics",
                "Requests, latencies, appetences, database reads, cache hits, loaded models; all workers.",
                "metrics.metrics",
                answer={"text/plain": {"schema": {"type": "string"}}},
            )
        },
    }


def _operation(
    operation_id: str,
    summary: str,
    description: str,
    endpoint: str,
    *,
    answer: dict,
    parameters: list[str] = (),
    path_parameter: str | None = None,
    body: dict | None = None,
    answer_headers: dict | None = None,
    problems: dict[int, str] | None = None,
) -> dict[str, Any]:
    problems = dict(problems or {})
    secured = current_gate().requires_key(endpoint)
    if secured:
        problems.update(_only(401, 403))
    parameter_list = [{"$ref": f"#/components/parameters/{name}"} for name in parameters]
    if path_parameter:
        parameter_list.insert(
            0, {"name": path_parameter, "in": "path", "required": True, "schema": {"type": "string"}}
        )
    responses = {"200": _response("OK", answer, answer_headers or {})}
    for status in sorted(problems):
        headers = {
            name: {"$ref": f"#/components/headers/{ref}"} for name, ref in _HEADERS.get(status, {}).items()
        }
        responses[str(status)] = _response(
            problems[status], {PROBLEM_JSON: {"schema": _ref("ProblemDetails")}}, headers
        )
    operation = {
        "operationId": operation_id,
        "summary": summary,
        "description": description,
        "parameters": parameter_list,
        "responses": responses,
        "security": [{"bearerKey": []}, {"headerKey": []}] if secured else [],
    }
    if body:
        operation["requestBody"] = {"required": True, "content": body}
    return operation


def _response(description: str, content: dict, headers: dict) -> dict[str, Any]:
    return {
        "description": description,
        "headers": {REQUEST_ID: {"$ref": "#/components/headers/requestId"}, **headers},
        "content": content,
    }


def _only(*statuses: int) -> dict[int, str]:
    return {status: _PROBLEMS[status] for status in statuses}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": REF.format(model=name)}


def _package_version() -> str:
    try:
        return version("chaos")
    except PackageNotFoundError:
        return "0"


_BATCH_EXAMPLE = {"customers": [EXAMPLE_REQUEST, {**EXAMPLE_REQUEST, "age": 67, "job_type": "Retraité"}]}
_CSV_EXAMPLE = "".join(
    ",".join(row) + "\n" for row in (COLUMNS, [cell_text(EXAMPLE_REQUEST.get(name)) for name in COLUMNS])
)
