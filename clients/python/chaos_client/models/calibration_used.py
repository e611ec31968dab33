from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.slope_source import SlopeSource, check_slope_source

T = TypeVar("T", bound="CalibrationUsed")


@_attrs_define
class CalibrationUsed:
    """
    Attributes:
        shift (float): added to the model's log-odds before the sigmoid
        window_days (int | None): trailing window of outcomes used; null: too few, no shift
        since (datetime.date | None): first day of the window
        until (datetime.date | None): last day of the window: the contact day minus the reporting lag, minus one (when
            stale, that of the day whose calibration is served)
        contacts (int): resolved outcomes in the window (pending calls never count)
        observed_rate (float | None): their subscription rate, matched by the shifted model
        stale (bool): true when the reported outcomes are too old or too few for the contact day: the last fresh
            calibration is served unchanged (none when there is none), flagged
        newest_outcome (datetime.date | None): the newest resolved outcome the calibration could use
        outcomes_age_days (int | None): days from that outcome to the contact day
        slope (float): multiplies the shifted log-odds (fitted on the trailing outcomes)
        offset (float): added after the slope: offset + slope * (log-odds + shift)
        slope_source (None | SlopeSource): what the slope and offset were fitted on: `served` (the log-odds and shifts
            answered before the outcomes were known, from the served record), `model` (the model's own log-odds: the served
            record does not cover the slope window); null: no slope fitted
        moved (bool | None): true when this calibration moved from the previous day's (shift, offset or slope) more than
            twelve times its median daily move of the four weeks before: worth a look before trusting the level; null: too
            little history to judge
    """

    shift: float
    window_days: int | None
    since: datetime.date | None
    until: datetime.date | None
    contacts: int
    observed_rate: float | None
    stale: bool
    newest_outcome: datetime.date | None
    outcomes_age_days: int | None
    slope: float
    offset: float
    slope_source: None | SlopeSource
    moved: bool | None

    def to_dict(self) -> dict[str, Any]:
        shift = self.shift

        window_days: int | None
        window_days = self.window_days

        since: None | str
        if isinstance(self.since, datetime.date):
            since = self.since.isoformat()
        else:
            since = self.since

        until: None | str
        if isinstance(self.until, datetime.date):
            until = self.until.isoformat()
        else:
            until = self.until

        contacts = self.contacts

        observed_rate: float | None
        observed_rate = self.observed_rate

        stale = self.stale

        newest_outcome: None | str
        if isinstance(self.newest_outcome, datetime.date):
            newest_outcome = self.newest_outcome.isoformat()
        else:
            newest_outcome = self.newest_outcome

        outcomes_age_days: int | None
        outcomes_age_days = self.outcomes_age_days

        slope = self.slope

        offset = self.offset

        slope_source: None | str
        if isinstance(self.slope_source, str):
            slope_source = self.slope_source
        else:
            slope_source = self.slope_source

        moved: bool | None
        moved = self.moved

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "shift": shift,
                "window_days": window_days,
                "since": since,
                "until": until,
                "contacts": contacts,
                "observed_rate": observed_rate,
                "stale": stale,
                "newest_outcome": newest_outcome,
                "outcomes_age_days": outcomes_age_days,
                "slope": slope,
                "offset": offset,
                "slope_source": slope_source,
                "moved": moved,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        shift = d.pop("shift")

        def _parse_window_days(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        window_days = _parse_window_days(d.pop("window_days"))

        def _parse_since(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                since_type_0 = datetime.date.fromisoformat(data)

                return since_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        since = _parse_since(d.pop("since"))

        def _parse_until(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                until_type_0 = datetime.date.fromisoformat(data)

                return until_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        until = _parse_until(d.pop("until"))

        contacts = d.pop("contacts")

        def _parse_observed_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        observed_rate = _parse_observed_rate(d.pop("observed_rate"))

        stale = d.pop("stale")

        def _parse_newest_outcome(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                newest_outcome_type_0 = datetime.date.fromisoformat(data)

                return newest_outcome_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        newest_outcome = _parse_newest_outcome(d.pop("newest_outcome"))

        def _parse_outcomes_age_days(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        outcomes_age_days = _parse_outcomes_age_days(d.pop("outcomes_age_days"))

        slope = d.pop("slope")

        offset = d.pop("offset")

        def _parse_slope_source(data: object) -> None | SlopeSource:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                slope_source_type_0 = check_slope_source(data)

                return slope_source_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SlopeSource, data)

        slope_source = _parse_slope_source(d.pop("slope_source"))

        def _parse_moved(data: object) -> bool | None:
            if data is None:
                return data
            return cast(bool | None, data)

        moved = _parse_moved(d.pop("moved"))

        calibration_used = cls(
            shift=shift,
            window_days=window_days,
            since=since,
            until=until,
            contacts=contacts,
            observed_rate=observed_rate,
            stale=stale,
            newest_outcome=newest_outcome,
            outcomes_age_days=outcomes_age_days,
            slope=slope,
            offset=offset,
            slope_source=slope_source,
            moved=moved,
        )

        return calibration_used
