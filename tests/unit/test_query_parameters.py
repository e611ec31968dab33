"""The API's query parameters are one list in three places that must agree: the OpenAPI document
declares them, the app's logs keep their values (every other value is redacted), and the pod's edge
lets them through (any other parameter is refused before anything logs: a key in a URL)."""

import re
from pathlib import Path

from chaos.bootstrap import web_worker
from chaos.entrypoints.web.app_factory import create_app
from chaos.entrypoints.web.log_redaction import KEPT_PARAMETERS
from chaos.infrastructure.config import Settings
from tests.fakes import FakeScoringModel, InMemorySocioEcoRepository

EDGE_CONFIG = Path(__file__).resolve().parents[2] / "deployment" / "base" / "nginx.conf"
EDGE_MAP = re.compile(r'^\s*"~\(\^\|&\)\(\?!\(([a-z|]+)\)\(=\|&\|\$\)\)\[\^&\]" 1;$', re.MULTILINE)
"""The edge's map entry that flags a query string naming anything but (name|name|...)."""


def declared_query_parameters() -> set[str]:
    app = create_app(
        web_worker(Settings(), model=FakeScoringModel(), repository=InMemorySocioEcoRepository())
    )
    parameters = app.test_client().get("/openapi.json").json["components"]["parameters"].values()
    return {parameter["name"] for parameter in parameters if parameter["in"] == "query"}


def edge_parameters() -> set[str]:
    (names,) = EDGE_MAP.findall(EDGE_CONFIG.read_text())
    return set(names.split("|"))


def test_the_edge_and_the_logs_keep_exactly_the_declared_query_parameters():
    assert declared_query_parameters() == set(KEPT_PARAMETERS) == edge_parameters()
