from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.contribution import Contribution


T = TypeVar("T", bound="Explanation")


@_attrs_define
class Explanation:
    """log_odds = calibration_offset + calibration_slope * (intercept + sum(contributions) +
    calibration_shift); appetence = sigmoid(log_odds).

        Attributes:
            log_odds (float):
            intercept (float):
            calibration_shift (float):
            calibration_slope (float):
            calibration_offset (float):
            contributions (list[Contribution]): every feature, largest absolute contribution first
    """

    log_odds: float
    intercept: float
    calibration_shift: float
    calibration_slope: float
    calibration_offset: float
    contributions: list[Contribution]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        log_odds = self.log_odds

        intercept = self.intercept

        calibration_shift = self.calibration_shift

        calibration_slope = self.calibration_slope

        calibration_offset = self.calibration_offset

        contributions = []
        for contributions_item_data in self.contributions:
            contributions_item = contributions_item_data.to_dict()
            contributions.append(contributions_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "log_odds": log_odds,
                "intercept": intercept,
                "calibration_shift": calibration_shift,
                "calibration_slope": calibration_slope,
                "calibration_offset": calibration_offset,
                "contributions": contributions,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.contribution import Contribution  # noqa: PLC0415

        d = dict(src_dict)
        log_odds = d.pop("log_odds")

        intercept = d.pop("intercept")

        calibration_shift = d.pop("calibration_shift")

        calibration_slope = d.pop("calibration_slope")

        calibration_offset = d.pop("calibration_offset")

        contributions = []
        _contributions = d.pop("contributions")
        for contributions_item_data in _contributions:
            contributions_item = Contribution.from_dict(contributions_item_data)

            contributions.append(contributions_item)

        explanation = cls(
            log_odds=log_odds,
            intercept=intercept,
            calibration_shift=calibration_shift,
            calibration_slope=calibration_slope,
            calibration_offset=calibration_offset,
            contributions=contributions,
        )

        explanation.additional_properties = d
        return explanation

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
