from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.calibration_used import CalibrationUsed


T = TypeVar("T", bound="BatchResult")


@_attrs_define
class BatchResult:
    """
    Attributes:
        appetence (float):
        socio_eco_date (datetime.date):
        calibration (CalibrationUsed):
    """

    appetence: float
    socio_eco_date: datetime.date
    calibration: CalibrationUsed
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        appetence = self.appetence

        socio_eco_date = self.socio_eco_date.isoformat()

        calibration = self.calibration.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "appetence": appetence,
                "socio_eco_date": socio_eco_date,
                "calibration": calibration,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.calibration_used import CalibrationUsed  # noqa: PLC0415

        d = dict(src_dict)
        appetence = d.pop("appetence")

        socio_eco_date = datetime.date.fromisoformat(d.pop("socio_eco_date"))

        calibration = CalibrationUsed.from_dict(d.pop("calibration"))

        batch_result = cls(
            appetence=appetence,
            socio_eco_date=socio_eco_date,
            calibration=calibration,
        )

        batch_result.additional_properties = d
        return batch_result

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
