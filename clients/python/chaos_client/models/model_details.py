from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.model_details_data_type_0 import ModelDetailsDataType0
    from ..models.model_details_excluded_type_0 import ModelDetailsExcludedType0
    from ..models.model_details_features_type_0 import ModelDetailsFeaturesType0
    from ..models.model_details_library_versions_type_0 import ModelDetailsLibraryVersionsType0
    from ..models.model_details_metrics_type_0 import ModelDetailsMetricsType0
    from ..models.model_details_promotion_type_0 import ModelDetailsPromotionType0
    from ..models.model_details_training_window_type_0 import ModelDetailsTrainingWindowType0
    from ..models.model_details_vocabulary_type_0 import ModelDetailsVocabularyType0


T = TypeVar("T", bound="ModelDetails")


@_attrs_define
class ModelDetails:
    """
    Attributes:
        version (str):
        champion (bool):
        default (bool):
        trained_at (datetime.datetime | None | Unset):
        model_family (None | str | Unset):
        data (ModelDetailsDataType0 | None | Unset):
        metrics (ModelDetailsMetricsType0 | None | Unset):
        problem (None | str | Unset):
        features (ModelDetailsFeaturesType0 | None | Unset):
        vocabulary (ModelDetailsVocabularyType0 | None | Unset):
        excluded (ModelDetailsExcludedType0 | None | Unset):
        library_versions (ModelDetailsLibraryVersionsType0 | None | Unset):
        training_window (ModelDetailsTrainingWindowType0 | None | Unset):
        promotion (ModelDetailsPromotionType0 | None | Unset):
    """

    version: str
    champion: bool
    default: bool
    trained_at: datetime.datetime | None | Unset = UNSET
    model_family: None | str | Unset = UNSET
    data: ModelDetailsDataType0 | None | Unset = UNSET
    metrics: ModelDetailsMetricsType0 | None | Unset = UNSET
    problem: None | str | Unset = UNSET
    features: ModelDetailsFeaturesType0 | None | Unset = UNSET
    vocabulary: ModelDetailsVocabularyType0 | None | Unset = UNSET
    excluded: ModelDetailsExcludedType0 | None | Unset = UNSET
    library_versions: ModelDetailsLibraryVersionsType0 | None | Unset = UNSET
    training_window: ModelDetailsTrainingWindowType0 | None | Unset = UNSET
    promotion: ModelDetailsPromotionType0 | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.model_details_data_type_0 import ModelDetailsDataType0  # noqa: PLC0415
        from ..models.model_details_excluded_type_0 import ModelDetailsExcludedType0  # noqa: PLC0415
        from ..models.model_details_features_type_0 import ModelDetailsFeaturesType0  # noqa: PLC0415
        from ..models.model_details_library_versions_type_0 import ModelDetailsLibraryVersionsType0  # noqa: PLC0415
        from ..models.model_details_metrics_type_0 import ModelDetailsMetricsType0  # noqa: PLC0415
        from ..models.model_details_promotion_type_0 import ModelDetailsPromotionType0  # noqa: PLC0415
        from ..models.model_details_training_window_type_0 import ModelDetailsTrainingWindowType0  # noqa: PLC0415
        from ..models.model_details_vocabulary_type_0 import ModelDetailsVocabularyType0  # noqa: PLC0415

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
        elif isinstance(self.data, ModelDetailsDataType0):
            data = self.data.to_dict()
        else:
            data = self.data

        metrics: dict[str, Any] | None | Unset
        if isinstance(self.metrics, Unset):
            metrics = UNSET
        elif isinstance(self.metrics, ModelDetailsMetricsType0):
            metrics = self.metrics.to_dict()
        else:
            metrics = self.metrics

        problem: None | str | Unset
        if isinstance(self.problem, Unset):
            problem = UNSET
        else:
            problem = self.problem

        features: dict[str, Any] | None | Unset
        if isinstance(self.features, Unset):
            features = UNSET
        elif isinstance(self.features, ModelDetailsFeaturesType0):
            features = self.features.to_dict()
        else:
            features = self.features

        vocabulary: dict[str, Any] | None | Unset
        if isinstance(self.vocabulary, Unset):
            vocabulary = UNSET
        elif isinstance(self.vocabulary, ModelDetailsVocabularyType0):
            vocabulary = self.vocabulary.to_dict()
        else:
            vocabulary = self.vocabulary

        excluded: dict[str, Any] | None | Unset
        if isinstance(self.excluded, Unset):
            excluded = UNSET
        elif isinstance(self.excluded, ModelDetailsExcludedType0):
            excluded = self.excluded.to_dict()
        else:
            excluded = self.excluded

        library_versions: dict[str, Any] | None | Unset
        if isinstance(self.library_versions, Unset):
            library_versions = UNSET
        elif isinstance(self.library_versions, ModelDetailsLibraryVersionsType0):
            library_versions = self.library_versions.to_dict()
        else:
            library_versions = self.library_versions

        training_window: dict[str, Any] | None | Unset
        if isinstance(self.training_window, Unset):
            training_window = UNSET
        elif isinstance(self.training_window, ModelDetailsTrainingWindowType0):
            training_window = self.training_window.to_dict()
        else:
            training_window = self.training_window

        promotion: dict[str, Any] | None | Unset
        if isinstance(self.promotion, Unset):
            promotion = UNSET
        elif isinstance(self.promotion, ModelDetailsPromotionType0):
            promotion = self.promotion.to_dict()
        else:
            promotion = self.promotion

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
        if features is not UNSET:
            field_dict["features"] = features
        if vocabulary is not UNSET:
            field_dict["vocabulary"] = vocabulary
        if excluded is not UNSET:
            field_dict["excluded"] = excluded
        if library_versions is not UNSET:
            field_dict["library_versions"] = library_versions
        if training_window is not UNSET:
            field_dict["training_window"] = training_window
        if promotion is not UNSET:
            field_dict["promotion"] = promotion

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.model_details_data_type_0 import ModelDetailsDataType0  # noqa: PLC0415
        from ..models.model_details_excluded_type_0 import ModelDetailsExcludedType0  # noqa: PLC0415
        from ..models.model_details_features_type_0 import ModelDetailsFeaturesType0  # noqa: PLC0415
        from ..models.model_details_library_versions_type_0 import ModelDetailsLibraryVersionsType0  # noqa: PLC0415
        from ..models.model_details_metrics_type_0 import ModelDetailsMetricsType0  # noqa: PLC0415
        from ..models.model_details_promotion_type_0 import ModelDetailsPromotionType0  # noqa: PLC0415
        from ..models.model_details_training_window_type_0 import ModelDetailsTrainingWindowType0  # noqa: PLC0415
        from ..models.model_details_vocabulary_type_0 import ModelDetailsVocabularyType0  # noqa: PLC0415

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

        def _parse_data(data: object) -> ModelDetailsDataType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                data_type_0 = ModelDetailsDataType0.from_dict(data)

                return data_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ModelDetailsDataType0 | None | Unset, data)

        data = _parse_data(d.pop("data", UNSET))

        def _parse_metrics(data: object) -> ModelDetailsMetricsType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                metrics_type_0 = ModelDetailsMetricsType0.from_dict(data)

                return metrics_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ModelDetailsMetricsType0 | None | Unset, data)

        metrics = _parse_metrics(d.pop("metrics", UNSET))

        def _parse_problem(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        problem = _parse_problem(d.pop("problem", UNSET))

        def _parse_features(data: object) -> ModelDetailsFeaturesType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                features_type_0 = ModelDetailsFeaturesType0.from_dict(data)

                return features_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ModelDetailsFeaturesType0 | None | Unset, data)

        features = _parse_features(d.pop("features", UNSET))

        def _parse_vocabulary(data: object) -> ModelDetailsVocabularyType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                vocabulary_type_0 = ModelDetailsVocabularyType0.from_dict(data)

                return vocabulary_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ModelDetailsVocabularyType0 | None | Unset, data)

        vocabulary = _parse_vocabulary(d.pop("vocabulary", UNSET))

        def _parse_excluded(data: object) -> ModelDetailsExcludedType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                excluded_type_0 = ModelDetailsExcludedType0.from_dict(data)

                return excluded_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ModelDetailsExcludedType0 | None | Unset, data)

        excluded = _parse_excluded(d.pop("excluded", UNSET))

        def _parse_library_versions(data: object) -> ModelDetailsLibraryVersionsType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                library_versions_type_0 = ModelDetailsLibraryVersionsType0.from_dict(data)

                return library_versions_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ModelDetailsLibraryVersionsType0 | None | Unset, data)

        library_versions = _parse_library_versions(d.pop("library_versions", UNSET))

        def _parse_training_window(data: object) -> ModelDetailsTrainingWindowType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                training_window_type_0 = ModelDetailsTrainingWindowType0.from_dict(data)

                return training_window_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ModelDetailsTrainingWindowType0 | None | Unset, data)

        training_window = _parse_training_window(d.pop("training_window", UNSET))

        def _parse_promotion(data: object) -> ModelDetailsPromotionType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                promotion_type_0 = ModelDetailsPromotionType0.from_dict(data)

                return promotion_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ModelDetailsPromotionType0 | None | Unset, data)

        promotion = _parse_promotion(d.pop("promotion", UNSET))

        model_details = cls(
            version=version,
            champion=champion,
            default=default,
            trained_at=trained_at,
            model_family=model_family,
            data=data,
            metrics=metrics,
            problem=problem,
            features=features,
            vocabulary=vocabulary,
            excluded=excluded,
            library_versions=library_versions,
            training_window=training_window,
            promotion=promotion,
        )

        model_details.additional_properties = d
        return model_details

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
