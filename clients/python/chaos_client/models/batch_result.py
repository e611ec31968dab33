from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

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
        id (int | None | Unset):
    """

    appetence: float
    socio_eco_date: datetime.date
    calibration: CalibrationUsed
    id: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        appetence = self.appetence

        socio_eco_date = self.socio_eco_date.isoformat()

        calibration = self.calibration.to_dict()

        id: int | None | Unset
        if isinstance(self.id, Unset):
            id = UNSET
        else:
            id = self.id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "appetence": appetence,
                "socio_eco_date": socio_eco_date,
                "calibration": calibration,
            }
        )
        if id is not UNSET:
            field_dict["id"] = id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.calibration_used import CalibrationUsed  # noqa: PLC0415

        d = dict(src_dict)
        appetence = d.pop("appetence")

        socio_eco_date = datetime.date.fromisoformat(d.pop("socio_eco_date"))

        calibration = CalibrationUsed.from_dict(d.pop("calibration"))

        def _parse_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        id = _parse_id(d.pop("id", UNSET))

        batch_result = cls(
            appetence=appetence,
            socio_eco_date=socio_eco_date,
            calibration=calibration,
            id=id,
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
