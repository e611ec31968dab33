from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.calibration_used import CalibrationUsed
    from ..models.row_problem import RowProblem


T = TypeVar("T", bound="BatchResult")


@_attrs_define
class BatchResult:
    """A scored row (`problem` null), or a row chaos could not score (`appetence`, `socio_eco_date`
    and `calibration` null, `problem` saying why).

        Attributes:
            appetence (float | None):
            socio_eco_date (datetime.date | None):
            calibration (CalibrationUsed | None):
            id (int | None | Unset):
            problem (None | RowProblem | Unset):
    """

    appetence: float | None
    socio_eco_date: datetime.date | None
    calibration: CalibrationUsed | None
    id: int | None | Unset = UNSET
    problem: None | RowProblem | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.calibration_used import CalibrationUsed  # noqa: PLC0415
        from ..models.row_problem import RowProblem  # noqa: PLC0415

        appetence: float | None
        appetence = self.appetence

        socio_eco_date: None | str
        if isinstance(self.socio_eco_date, datetime.date):
            socio_eco_date = self.socio_eco_date.isoformat()
        else:
            socio_eco_date = self.socio_eco_date

        calibration: dict[str, Any] | None
        if isinstance(self.calibration, CalibrationUsed):
            calibration = self.calibration.to_dict()
        else:
            calibration = self.calibration

        id: int | None | Unset
        if isinstance(self.id, Unset):
            id = UNSET
        else:
            id = self.id

        problem: dict[str, Any] | None | Unset
        if isinstance(self.problem, Unset):
            problem = UNSET
        elif isinstance(self.problem, RowProblem):
            problem = self.problem.to_dict()
        else:
            problem = self.problem

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
        if problem is not UNSET:
            field_dict["problem"] = problem

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.calibration_used import CalibrationUsed  # noqa: PLC0415
        from ..models.row_problem import RowProblem  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_appetence(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        appetence = _parse_appetence(d.pop("appetence"))

        def _parse_socio_eco_date(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                socio_eco_date_type_0 = datetime.date.fromisoformat(data)

                return socio_eco_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        socio_eco_date = _parse_socio_eco_date(d.pop("socio_eco_date"))

        def _parse_calibration(data: object) -> CalibrationUsed | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                calibration_type_0 = CalibrationUsed.from_dict(data)

                return calibration_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CalibrationUsed | None, data)

        calibration = _parse_calibration(d.pop("calibration"))

        def _parse_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        id = _parse_id(d.pop("id", UNSET))

        def _parse_problem(data: object) -> None | RowProblem | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                problem_type_0 = RowProblem.from_dict(data)

                return problem_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RowProblem | Unset, data)

        problem = _parse_problem(d.pop("problem", UNSET))

        batch_result = cls(
            appetence=appetence,
            socio_eco_date=socio_eco_date,
            calibration=calibration,
            id=id,
            problem=problem,
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
