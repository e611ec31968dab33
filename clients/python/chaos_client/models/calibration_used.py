from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="CalibrationUsed")


@_attrs_define
class CalibrationUsed:
    """
    Attributes:
        shift (float): added to the model's log-odds before the sigmoid
        window_days (int | None): trailing window of outcomes used; null: too few, no shift
        since (datetime.date | None): first day of the window
        until (datetime.date | None): last day of the window, the day before the contact
        contacts (int): outcomes in the window
        observed_rate (float | None): their subscription rate, matched by the shifted model
    """

    shift: float
    window_days: int | None
    since: datetime.date | None
    until: datetime.date | None
    contacts: int
    observed_rate: float | None

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

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "shift": shift,
                "window_days": window_days,
                "since": since,
                "until": until,
                "contacts": contacts,
                "observed_rate": observed_rate,
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

        calibration_used = cls(
            shift=shift,
            window_days=window_days,
            since=since,
            until=until,
            contacts=contacts,
            observed_rate=observed_rate,
        )

        return calibration_used
