"""`GET /openapi.json` (OpenAPI 3.1) and `GET /docs` (Swagger UI from local files).

The schemas come from the pydantic models that validate the requests and shape the answers,
through pydantic's own `models_json_schema`: pydantic emits JSON Schema 2020-12, which is the
dialect of OpenAPI 3.1, so nothing is translated. The request model is built at start from the
served model's vocabulary, which is why labels appear as enums. Framework extensions such as
spectree or flask-openapi3 were not used: they bind one static model per route at import time
and validate with their own error format, while chaos builds its models at start and answers
every error as problem+json. The paths are the app's registered routes, each described by the
`Operation` declared beside its view (operations.py).

Swagger UI's files come from the flask-swagger-ui package (no CDN: users may be offline).
"""

import re
from collections.abc import Mapping
from typing import Any

from flask import Blueprint, Flask, current_app, redirect
from flask_swagger_ui import get_swaggerui_blueprint
from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import models_json_schema

from chaos.entrypoints.web.appetence_schema import AppetenceResponse
from chaos.entrypoints.web.auth import KEY_HEADER
from chaos.entrypoints.web.batch_schema import BatchResponse
from chaos.entrypoints.web.explanation import EXPLAIN_PARAMETER
from chaos.entrypoints.web.extension import MODEL_PARAMETER, current_serving
from chaos.entrypoints.web.model_routes import ModelDetails, ModelList
from chaos.entrypoints.web.operations import SCHEMA_REF, UNLISTED, Operation, declared, problems, schema
from chaos.entrypoints.web.outcome_routes import REPLACE_PARAMETER, OutcomeTally
from chaos.entrypoints.web.problem_types import REGISTRY
from chaos.entrypoints.web.problems import PROBLEM_JSON, RETRY_AFTER_SECONDS
from chaos.entrypoints.web.request_id import HEADER as REQUEST_ID
from chaos.infrastructure.api_keys import DEMO_KEY
from chaos.infrastructure.version import installed_version

DOCS_URL = "/docs"
DOCUMENT_URL = "/openapi.json"

blueprint = Blueprint("openapi", __name__)


class FieldProblem(BaseModel):
    row: int | None = Field(None, description="lists only: index of the row (0 = first)")
    line: int | None = Field(None, description="CSV bodies only: line of the row in the body (1 = header)")
    field: str
    message: str
    allowed: Any = Field(None, description="what the field accepts")


class ProblemDetails(BaseModel):
    """RFC 9457 problem details; `errors` names every bad field, `checks` what /ready found; the
    members some types add are declared for a typed client."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(
        description="what the problem is, stable: branch on it; one of "
        + ", ".join(REGISTRY)
        + " (a later version may add others)"
    )
    title: str
    status: int
    detail: str
    errors: list[FieldProblem] | None = None
    checks: dict[str, str] | None = None
    limit: int | None = Field(
        None, description="413: the limit passed (bytes: body-too-large; rows: too-many-rows)"
    )
    line: int | None = Field(None, description="400: the line where the body stops being JSON (1 = first)")
    column: int | None = Field(None, description="400: the column of that line (1 = first)")
    key_id: str | None = Field(None, description="429 report-volume-exceeded: the id of the key refused")
    daily_limit: int | None = Field(
        None, description="429 report-volume-exceeded: the rows the key may report a day (UTC)"
    )
    written_today: int | None = Field(
        None, description="429 report-volume-exceeded: the rows the key has reported today (UTC)"
    )
    rows: int | None = Field(None, description="429 report-volume-exceeded: the rows this report would add")


class Health(BaseModel):
    status: str


class Readiness(BaseModel):
    status: str
    model_version: str
    checks: dict[str, str]


@blueprint.get(DOCUMENT_URL)
@UNLISTED
def document():
    return openapi_document()


@blueprint.get(DOCS_URL)
@UNLISTED
def docs_without_slash():
    """To Swagger UI with a relative location: werkzeug's own slash redirect is absolute, built
    from whatever `Host` the caller sent, which would send a browser to another site."""
    return redirect(f"{DOCS_URL}/", 308)


def install(app: Flask) -> None:
    """The document and Swagger UI, both served without a key."""
    app.register_blueprint(blueprint)
    config = {
        "app_name": "chaos API",
        "validatorUrl": None,  # the public validator is remote: stay offline
        "tryItOutEnabled": True,
        "persistAuthorization": True,
        "displayRequestDuration": True,
    }
    swagger_ui = get_swaggerui_blueprint(DOCS_URL, DOCUMENT_URL, config=config)
    app.register_blueprint(swagger_ui)
    for endpoint, view in app.view_functions.items():
        if endpoint.startswith(f"{swagger_ui.name}."):
            UNLISTED(view)


def openapi_document() -> dict[str, Any]:
    serving = current_serving()
    model = serving.service.models.default
    schemas_of_model = serving.schemas.of(model)
    _, schemas = models_json_schema(
        [
            (schemas_of_model.single.request_model, "validation"),
            (schemas_of_model.batch.request_model, "validation"),
            (schemas_of_model.outcomes.request_model, "validation"),
            (AppetenceResponse, "serialization"),
            (BatchResponse, "serialization"),
            (OutcomeTally, "serialization"),
            (ModelList, "serialization"),
            (ModelDetails, "serialization"),
            (ProblemDetails, "serialization"),
            (Health, "serialization"),
            (Readiness, "serialization"),
        ],
        ref_template=SCHEMA_REF,
    )
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "chaos appetence API",
            "version": installed_version(),
            "description": _DESCRIPTION.format(
                model=model.version, max_rows=serving.schemas.batch_max_rows, demo=DEMO_KEY
            ),
        },
        "paths": _paths(serving.schemas.batch_max_rows),
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
                "explain": {
                    "name": EXPLAIN_PARAMETER,
                    "in": "query",
                    "required": False,
                    "description": "true: add each feature's exact contribution to the log-odds",
                    "schema": {"type": "string", "enum": ["true", "false"], "default": "false"},
                },
                "replace": {
                    "name": REPLACE_PARAMETER,
                    "in": "query",
                    "required": False,
                    "description": "true: apply reports that change what is known of a contact (else 409)",
                    "schema": {"type": "string", "enum": ["true", "false"], "default": "false"},
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
`{demo}`; click *Authorize*). Each key carries scopes (`score`, `report_outcomes`, `read_models`);
each operation names the one it needs, and a key without it gets a 403 naming it. Errors are
`application/problem+json`; a 422 lists every bad field with what it accepts. Default model:
`{model}`. Batches: at most {max_rows} customers."""

_HEADERS = {
    401: {"WWW-Authenticate": "challenge"},
    429: {"Retry-After": "retryAfter"},
    503: {"Retry-After": "retryAfter"},
}
_IGNORED_METHODS = {"HEAD", "OPTIONS"}
"""Answered by Flask for every route; not operations of their own."""
_PATH_PARAMETER = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")
"""Flask's `<name>` or `<converter:name>`, which OpenAPI writes `{name}`."""


def _paths(max_rows: int) -> dict[str, Any]:
    """One entry per registered route declared an Operation, in the order the routes were added."""
    serving = current_serving()
    paths: dict[str, Any] = {}
    for rule in current_app.url_map.iter_rules():
        declaration = declared(current_app.view_functions[rule.endpoint])
        if not isinstance(declaration, Operation):
            continue
        path = _PATH_PARAMETER.sub(r"{\1}", rule.rule)
        secured = serving.gate.requires_key(rule.endpoint)
        for method in sorted((rule.methods or set()) - _IGNORED_METHODS):
            paths.setdefault(path, {})[method.lower()] = _operation(
                declaration, sorted(rule.arguments), secured, max_rows
            )
    return paths


def _operation(
    described: Operation, path_parameters: list[str], secured: bool, max_rows: int
) -> dict[str, Any]:
    statuses = {**described.problems, **(problems(401, 403) if secured else {})}
    parameters: list[dict[str, Any]] = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in path_parameters
    ]
    parameters += [{"$ref": f"#/components/parameters/{name}"} for name in described.parameters]
    responses = {"200": _response("OK", described.answer, described.answer_headers)}
    for status in sorted(statuses):
        headers = {
            name: {"$ref": f"#/components/headers/{ref}"} for name, ref in _HEADERS.get(status, {}).items()
        }
        responses[str(status)] = _response(
            statuses[status], {PROBLEM_JSON: {"schema": schema("ProblemDetails")}}, headers
        )
    description = described.description.format(max_rows=max_rows)
    if secured:
        description = f"{description}\n\nScope: `{described.scope}`.".lstrip()
    operation = {
        "operationId": described.operation_id,
        "summary": described.summary,
        "description": description,
        "parameters": parameters,
        "responses": responses,
        # OpenAPI 3.1 lets a non-OAuth scheme list the roles an operation needs: the key's scope.
        "security": [{"bearerKey": [described.scope]}, {"headerKey": [described.scope]}] if secured else [],
    }
    if described.body:
        operation["requestBody"] = {"required": True, "content": described.body}
    return operation


def _response(description: str, content: Mapping[str, Any], headers: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "description": description,
        "headers": {REQUEST_ID: {"$ref": "#/components/headers/requestId"}, **headers},
        "content": content,
    }
