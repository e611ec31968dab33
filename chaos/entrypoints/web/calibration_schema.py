"""How an answer says what its score was made of: the calibration it used (enough to redo the
number: appetence = sigmoid(offset + slope * (log-odds + shift))) and, on request, each feature's
contribution."""

import functools
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from chaos.domain.calibration import Calibration, SlopeSource


class CalibrationUsed(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, from_attributes=True)

    shift: float = Field(description="added to the model's log-odds before the sigmoid")
    window_days: int | None = Field(description="trailing window of outcomes used; null: too few, no shift")
    since: date | None = Field(description="first day of the window")
    until: date | None = Field(
        description="last day of the window: the contact day minus the reporting lag, minus one (when "
        "stale, that of the day whose calibration is served)"
    )
    contacts: int = Field(description="resolved outcomes in the window (pending calls never count)")
    observed_rate: float | None = Field(description="their subscription rate, matched by the shifted model")
    stale: bool = Field(
        description="true when the reported outcomes are too old or too few for the contact day: the last "
        "fresh calibration is served unchanged (none when there is none), flagged"
    )
    newest_outcome: date | None = Field(description="the newest resolved outcome the calibration could use")
    outcomes_age_days: int | None = Field(description="days from that outcome to the contact day")
    slope: float = Field(description="multiplies the shifted log-odds (fitted on the trailing outcomes)")
    offset: float = Field(description="added after the slope: offset + slope * (log-odds + shift)")
    slope_source: SlopeSource | None = Field(
        description="what the slope and offset were fitted on: `served` (the log-odds and shifts answered "
        "before the outcomes were known, from the served record), `model` (the model's own log-odds: the "
        "served record does not cover the slope window); null: no slope fitted"
    )
    moved: bool | None = Field(
        description="true when this calibration moved from the previous day's (shift, offset or slope) "
        "more than twelve times its median daily move of the four weeks before: worth a look before "
        "trusting the level; null: too little history to judge"
    )


class Contribution(BaseModel):
    feature: str
    value: Any = Field(description="the value the model used (null: unknown, imputed as in training)")
    contribution: float = Field(description="this feature's term of the log-odds")


class Explanation(BaseModel):
    """log_odds = calibration_offset + calibration_slope * (intercept + sum(contributions) +
    calibration_shift); appetence = sigmoid(log_odds)."""

    log_odds: float
    intercept: float
    calibration_shift: float
    calibration_slope: float
    calibration_offset: float
    contributions: list[Contribution] = Field(
        description="every feature, largest absolute contribution first"
    )


@functools.lru_cache(maxsize=256)
def calibration_used(calibration: Calibration) -> CalibrationUsed:
    """The block of an answer; kept for the calibrations in use (a few per day and model, each immutable),
    since every score of a day repeats the same one."""
    return CalibrationUsed.model_validate(calibration)


def describe_calibration(calibration: Calibration) -> str:
    """One line for readiness: what today's calibration follows and whether it is stale."""
    if calibration.newest_outcome is None:
        outcomes = "no resolved outcome stored"
    else:
        outcomes = f"newest outcome {calibration.newest_outcome}, {calibration.outcomes_age_days} days old"
    window = f"{calibration.window_days}-day window" if calibration.window_days else "no shift"
    state = "STALE: answers are flagged" if calibration.stale else "fresh"
    moved = "; MOVED beyond its history" if calibration.moved else ""
    return f"{outcomes}, {window}: {state}{moved}"
