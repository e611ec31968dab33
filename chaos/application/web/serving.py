"""What the routes of one worker share: the loaded model, its request schema and the database
(indicators and calibrations)."""

from dataclasses import dataclass
from typing import Protocol

from flask import current_app

from chaos.application.web.appetence_schema import AppetenceSchema
from chaos.domain.calibration import CalibrationSource
from chaos.domain.repositories import SocioEcoRepository
from chaos.domain.scoring import ScoringModel

EXTENSION = "chaos"


class Database(Protocol):
    repository: SocioEcoRepository
    calibrations: CalibrationSource

    def ping(self) -> object:
        """Raise IndicatorsUnavailable when the database cannot answer."""


@dataclass(frozen=True)
class Serving:
    model: ScoringModel
    schema: AppetenceSchema
    database: Database


def current_serving() -> Serving:
    return current_app.extensions[EXTENSION]
