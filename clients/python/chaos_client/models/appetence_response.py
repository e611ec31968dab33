from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.calibration_used import CalibrationUsed
    from ..models.explanation import Explanation


T = TypeVar("T", bound="AppetenceResponse")


@_attrs_define
class AppetenceResponse:
    """
    Attributes:
        appetence (float):
        model_version (str):
        socio_eco_date (datetime.date):
        calibration (CalibrationUsed):
        id (int | None | Unset):
        explanation (Explanation | None | Unset):
    """

    appetence: float
    model_version: str
    socio_eco_date: datetime.date
    calibration: CalibrationUsed
    id: int | None | Unset = UNSET
    explanation: Explanation | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.explanation import Explanation  # noqa: PLC0415

        appetence = self.appetence

        model_version = self.model_version

        socio_eco_date = self.socio_eco_date.isoformat()

        calibration = self.calibration.to_dict()

        id: int | None | Unset
        if isinstance(self.id, Unset):
            id = UNSET
        else:
            id = self.id

        explanation: dict[str, Any] | None | Unset
        if isinstance(self.explanation, Unset):
            explanation = UNSET
        elif isinstance(self.explanation, Explanation):
            explanation = self.explanation.to_dict()
        else:
            explanation = self.explanation

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "appetence": appetence,
                "model_version": model_version,
                "socio_eco_date": socio_eco_date,
                "calibration": calibration,
            }
        )
        if id is not UNSET:
            field_dict["id"] = id
        if explanation is not UNSET:
            field_dict["explanation"] = explanation

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.calibration_used import CalibrationUsed  # noqa: PLC0415
        from ..models.explanation import Explanation  # noqa: PLC0415

        d = dict(src_dict)
        appetence = d.pop("appetence")

        model_version = d.pop("model_version")

        socio_eco_date = datetime.date.fromisoformat(d.pop("socio_eco_date"))

        calibration = CalibrationUsed.from_dict(d.pop("calibration"))

        def _parse_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        id = _parse_id(d.pop("id", UNSET))

        def _parse_explanation(data: object) -> Explanation | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                explanation_type_0 = Explanation.from_dict(data)

                return explanation_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Explanation | None | Unset, data)

        explanation = _parse_explanation(d.pop("explanation", UNSET))

        appetence_response = cls(
            appetence=appetence,
            model_version=model_version,
            socio_eco_date=socio_eco_date,
            calibration=calibration,
            id=id,
            explanation=explanation,
        )

        return appetence_response
