from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.model_summary_data_type_0 import ModelSummaryDataType0
    from ..models.model_summary_metrics_type_0 import ModelSummaryMetricsType0


T = TypeVar("T", bound="ModelSummary")


@_attrs_define
class ModelSummary:
    """
    Attributes:
        version (str):
        champion (bool):
        default (bool):
        trained_at (datetime.datetime | None | Unset):
        model_family (None | str | Unset):
        data (ModelSummaryDataType0 | None | Unset):
        metrics (ModelSummaryMetricsType0 | None | Unset):
        problem (None | str | Unset):
    """

    version: str
    champion: bool
    default: bool
    trained_at: datetime.datetime | None | Unset = UNSET
    model_family: None | str | Unset = UNSET
    data: ModelSummaryDataType0 | None | Unset = UNSET
    metrics: ModelSummaryMetricsType0 | None | Unset = UNSET
    problem: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.model_summary_data_type_0 import ModelSummaryDataType0  # noqa: PLC0415
        from ..models.model_summary_metrics_type_0 import ModelSummaryMetricsType0  # noqa: PLC0415

        version = self.version

        champion = self.champion

        default = self.default

        trained_at: None | str | Unset
        if isinstance(self.trained_at, Unset):
            trained_at = UNSET
        elif isinstance(self.trained_at, datetime.datetime):
            trained_at = self.trained_at.isoformat()
        else:
            trained_at = self.trained_at

        model_family: None | str | Unset
        if isinstance(self.model_family, Unset):
            model_family = UNSET
        else:
            model_family = self.model_family

        data: dict[str, Any] | None | Unset
        if isinstance(self.data, Unset):
            data = UNSET
        elif isinstance(self.data, ModelSummaryDataType0):
            data = self.data.to_dict()
        else:
            data = self.data

        metrics: dict[str, Any] | None | Unset
        if isinstance(self.metrics, Unset):
            metrics = UNSET
        elif isinstance(self.metrics, ModelSummaryMetricsType0):
            metrics = self.metrics.to_dict()
        else:
            metrics = self.metrics

        problem: None | str | Unset
        if isinstance(self.problem, Unset):
            problem = UNSET
        else:
            problem = self.problem

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "version": version,
                "champion": champion,
                "default": default,
            }
        )
        if trained_at is not UNSET:
            field_dict["trained_at"] = trained_at
        if model_family is not UNSET:
            field_dict["model_family"] = model_family
        if data is not UNSET:
            field_dict["data"] = data
        if metrics is not UNSET:
            field_dict["metrics"] = metrics
        if problem is not UNSET:
            field_dict["problem"] = problem

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.model_summary_data_type_0 import ModelSummaryDataType0  # noqa: PLC0415
        from ..models.model_summary_metrics_type_0 import ModelSummaryMetricsType0  # noqa: PLC0415

        d = dict(src_dict)
        version = d.pop("version")

        champion = d.pop("champion")

        default = d.pop("default")

        def _parse_trained_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                trained_at_type_0 = datetime.datetime.fromisoformat(data)

                return trained_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        trained_at = _parse_trained_at(d.pop("trained_at", UNSET))

        def _parse_model_family(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        model_family = _parse_model_family(d.pop("model_family", UNSET))

        def _parse_data(data: object) -> ModelSummaryDataType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                data_type_0 = ModelSummaryDataType0.from_dict(data)

                return data_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ModelSummaryDataType0 | None | Unset, data)

        data = _parse_data(d.pop("data", UNSET))

        def _parse_metrics(data: object) -> ModelSummaryMetricsType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                metrics_type_0 = ModelSummaryMetricsType0.from_dict(data)

                return metrics_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ModelSummaryMetricsType0 | None | Unset, data)

        metrics = _parse_metrics(d.pop("metrics", UNSET))

        def _parse_problem(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        problem = _parse_problem(d.pop("problem", UNSET))

        model_summary = cls(
            version=version,
            champion=champion,
            default=default,
            trained_at=trained_at,
            model_family=model_family,
            data=data,
            metrics=metrics,
            problem=problem,
        )

        model_summary.additional_properties = d
        return model_summary

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
