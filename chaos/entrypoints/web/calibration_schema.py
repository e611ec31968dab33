"""How an answer says what its score was made of: the calibration it used (enough to redo the
number: appetence = sigmoid(log-odds + shift)) and, on request, each feature's contribution."""

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from chaos.domain.calibration import Calibration


class CalibrationUsed(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, from_attributes=True)

    shift: float = Field(description="added to the model's log-odds before the sigmoid")
    window_days: int | None = Field(description="trailing window of outcomes used; null: too few, no shift")
    since: date | None = Field(description="first day of the window")
    until: date | None = Field(description="last day of the window, the day before the contact")
    contacts: int = Field(description="outcomes in the window")
    observed_rate: float | None = Field(description="their subscription rate, matched by the shifted model")


class Contribution(BaseModel):
    feature: str
    value: Any = Field(description="the value the model used (null: unknown, imputed as in training)")
    contribution: float = Field(description="this feature's term of the log-odds")


class Explanation(BaseModel):
    """log_odds = intercept + sum(contributions) + calibration_shift; appetence = sigmoid(log_odds)."""

    log_odds: float
    intercept: float
    calibration_shift: float
    contributions: list[Contribution] = Field(
        description="every feature, largest absolute contribution first"
    )


def calibration_used(calibration: Calibration) -> CalibrationUsed:
    return CalibrationUsed.model_validate(calibration)
