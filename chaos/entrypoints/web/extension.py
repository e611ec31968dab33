"""What every route of an app reaches, kept in its one Flask extension: the scoring service, the
outcome reports, the request schemas of its models and the API-key gate."""

from dataclasses import dataclass

from flask import Flask

from chaos.application.outcome_reports import OutcomeReports
from chaos.application.scoring_service import ScoringService
from chaos.domain.scoring import ScoringModel
from chaos.entrypoints.web.gate import Gate
from chaos.entrypoints.web.query_value import query_value
from chaos.entrypoints.web.request_context import current_application
from chaos.entrypoints.web.request_schemas import RequestSchemas

EXTENSION = "chaos"
MODEL_PARAMETER = "model"
"""The query parameter naming a model version (`?model=`); the default model answers without it."""


@dataclass(frozen=True)
class Serving:
    service: ScoringService
    reports: OutcomeReports
    schemas: RequestSchemas
    gate: Gate

    def chosen_model(self) -> ScoringModel:
        """The model `?model=<version>` names, else the default; UnknownModel (404) when not servable."""
        return self.service.model(query_value(MODEL_PARAMETER))


def current_serving() -> Serving:
    return serving_of(current_application())


def serving_of(app: Flask) -> Serving:
    return app.extensions[EXTENSION]
