"""The OpenAPI 3.1 document: valid, built from the request models (labels of the served model as
enums), exact about security; and Swagger UI served from local files."""

import re

import pytest
from openapi_spec_validator import validate

from chaos.bootstrap import web_worker
from chaos.entrypoints.web.app_factory import create_app
from chaos.entrypoints.web.operations import Operation, declared
from chaos.infrastructure.config import Settings
from chaos.infrastructure.config.settings import ApiSettings
from tests.fakes import VOCABULARY, FakeScoringModel, InMemorySocioEcoRepository


def app_for(**api):
    return create_app(
        web_worker(
            Settings(api=ApiSettings(**api)),
            model=FakeScoringModel(),
            repository=InMemorySocioEcoRepository(),
        )
    )


@pytest.fixture
def document():
    response = app_for(batch_max_rows=250).test_client().get("/openapi.json")
    assert response.status_code == 200
    return response.json


def test_the_document_is_valid_openapi_3_1(document):
    assert document["openapi"] == "3.1.0"
    validate(document)


def test_labels_of_the_served_model_are_enums(document):
    job_type = document["components"]["schemas"]["AppetenceRequest"]["properties"]["job_type"]
    assert {"enum": VOCABULARY["job_type"]} in job_type["anyOf"]


def test_numeric_ranges_are_json_schema_bounds(document):
    properties = document["components"]["schemas"]["AppetenceRequest"]["properties"]
    assert (properties["nb_contact"]["minimum"], properties["nb_contact"]["maximum"]) == (1, 1000)
    assert {"type": "integer", "minimum": 18, "maximum": 120} in properties["age"]["anyOf"]


def test_the_batch_schema_reuses_the_single_request_and_states_the_limit(document):
    customers = document["components"]["schemas"]["AppetenceBatchRequest"]["properties"]["customers"]
    assert customers["items"] == {"$ref": "#/components/schemas/AppetenceRequest"}
    assert customers["maxItems"] == 250
    content = document["paths"]["/appetence/batch"]["post"]["requestBody"]["content"]
    assert set(content) == {"application/json", "text/csv"}


def test_scoring_documents_every_status_it_can_answer(document):
    for path in ("/appetence", "/appetence/batch"):
        responses = document["paths"][path]["post"]["responses"]
        assert set(responses) == {"200", "400", "401", "403", "404", "413", "415", "422", "503"}
        assert responses["401"]["headers"]["WWW-Authenticate"]
        assert responses["503"]["headers"]["Retry-After"]
        assert set(responses["422"]["content"]) == {"application/problem+json"}


def test_security_follows_the_configuration(document):
    operations = {
        f"{method.upper()} {path}": operation
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    }
    open_ones = {name for name, operation in operations.items() if operation["security"] == []}
    assert open_ones == {"GET /health", "GET /ready", "GET /metrics"}
    locked = app_for(metrics_require_key=True).test_client().get("/openapi.json").json
    assert locked["paths"]["/metrics"]["get"]["security"]
    assert "401" in locked["paths"]["/metrics"]["get"]["responses"]


def test_swagger_ui_is_served_from_local_files():
    client = app_for().test_client()
    page = client.get("/docs/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "/openapi.json" in html
    assert not re.search(r"(src|href)=\"https?://", html)  # no CDN
    assets = re.findall(r"(?:src|href)=\"(/docs/[^\"]+)\"", html)
    assert "/docs/swagger-ui-bundle.js" in assets
    for asset in assets:
        assert client.get(asset).status_code == 200, asset
    assert client.get("/docs").status_code in (301, 308)


def openapi_path(rule) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)


def test_every_route_is_declared_and_the_documented_paths_are_the_api_routes(document):
    app = app_for()
    undeclared = sorted(endpoint for endpoint, view in app.view_functions.items() if declared(view) is None)
    assert undeclared == [], "declare an Operation (or UNLISTED) beside each view"
    routes = {
        openapi_path(rule): isinstance(declared(app.view_functions[rule.endpoint]), Operation)
        for rule in app.url_map.iter_rules()
    }
    assert set(document["paths"]) == {path for path, listed in routes.items() if listed}
    assert {"/appetence", "/appetence/batch", "/models", "/models/{version}"} <= set(document["paths"])
    assert set(routes) - set(document["paths"]) == {"/openapi.json", "/docs", "/docs/", "/docs/{path}"}


def test_docs_redirects_with_a_relative_location_whatever_the_host():
    response = app_for().test_client().get("/docs", headers={"Host": "elsewhere.example"})
    assert (response.status_code, response.headers["Location"]) == (308, "/docs/")


def test_a_route_added_without_a_declaration_needs_a_key_and_is_left_out():
    app = app_for()
    app.add_url_rule("/undeclared", "undeclared", lambda: "hidden")
    assert app.test_client().get("/undeclared").status_code == 401
    assert "/undeclared" not in app.test_client().get("/openapi.json").json["paths"]


def test_every_operation_that_needs_a_key_states_its_scope(document):
    scopes = {
        f"{method.upper()} {path}": operation["security"]
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
        if operation["security"]
    }
    assert scopes["POST /appetence"] == [{"bearerKey": ["score"]}, {"headerKey": ["score"]}]
    assert scopes["GET /models"] == [{"bearerKey": ["read_models"]}, {"headerKey": ["read_models"]}]
    for name, security in scopes.items():
        (scope,) = {role for scheme in security for roles in scheme.values() for role in roles}
        assert (
            f"Scope: `{scope}`" in document["paths"][name.split()[1]][name.split()[0].lower()]["description"]
        )
