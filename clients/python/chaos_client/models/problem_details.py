from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.field_problem import FieldProblem
    from ..models.problem_details_checks_type_0 import ProblemDetailsChecksType0


T = TypeVar("T", bound="ProblemDetails")


@_attrs_define
class ProblemDetails:
    """RFC 9457 problem details; `errors` names every bad field, `checks` what /ready found; the
    members some types add are declared for a typed client.

        Attributes:
            type_ (str): what the problem is, stable: branch on it; one of urn:chaos:problem:malformed-json,
                urn:chaos:problem:missing-credentials, urn:chaos:problem:malformed-credentials, urn:chaos:problem:unknown-key,
                urn:chaos:problem:missing-scope, urn:chaos:problem:unknown-model, urn:chaos:problem:conflicting-outcomes,
                urn:chaos:problem:body-too-large, urn:chaos:problem:too-many-rows, urn:chaos:problem:unsupported-media-type,
                urn:chaos:problem:invalid-fields, urn:chaos:problem:stale-indicators, urn:chaos:problem:no-indicators,
                urn:chaos:problem:unknown-contacts, urn:chaos:problem:report-volume-exceeded, urn:chaos:problem:reports-busy,
                urn:chaos:problem:outcomes-not-kept, urn:chaos:problem:database-unavailable, urn:chaos:problem:not-ready,
                about:blank (a later version may add others)
            title (str):
            status (None | str):
            detail (str):
            errors (list[FieldProblem] | None | Unset):
            checks (None | ProblemDetailsChecksType0 | Unset):
            limit (int | None | Unset): 413: the limit passed (bytes: body-too-large; rows: too-many-rows)
            line (int | None | Unset): 400: the line where the body stops being JSON (1 = first)
            column (int | None | Unset): 400: the column of that line (1 = first)
            key_id (None | str | Unset): 429 report-volume-exceeded: the id of the key refused
            daily_limit (int | None | Unset): 429 report-volume-exceeded: the rows the key may report a day (UTC)
            written_today (int | None | Unset): 429 report-volume-exceeded: the rows the key has reported today (UTC)
            rows (int | None | Unset): 429 report-volume-exceeded: the rows this report would add
    """

    type_: str
    title: str
    status: None | str
    detail: str
    errors: list[FieldProblem] | None | Unset = UNSET
    checks: None | ProblemDetailsChecksType0 | Unset = UNSET
    limit: int | None | Unset = UNSET
    line: int | None | Unset = UNSET
    column: int | None | Unset = UNSET
    key_id: None | str | Unset = UNSET
    daily_limit: int | None | Unset = UNSET
    written_today: int | None | Unset = UNSET
    rows: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.problem_details_checks_type_0 import ProblemDetailsChecksType0  # noqa: PLC0415

        type_ = self.type_

        title = self.title

        status: None | str
        status = self.status

        detail = self.detail

        errors: list[dict[str, Any]] | None | Unset
        if isinstance(self.errors, Unset):
            errors = UNSET
        elif isinstance(self.errors, list):
            errors = []
            for errors_type_0_item_data in self.errors:
                errors_type_0_item = errors_type_0_item_data.to_dict()
                errors.append(errors_type_0_item)

        else:
            errors = self.errors

        checks: dict[str, Any] | None | Unset
        if isinstance(self.checks, Unset):
            checks = UNSET
        elif isinstance(self.checks, ProblemDetailsChecksType0):
            checks = self.checks.to_dict()
        else:
            checks = self.checks

        limit: int | None | Unset
        if isinstance(self.limit, Unset):
            limit = UNSET
        else:
            limit = self.limit

        line: int | None | Unset
        if isinstance(self.line, Unset):
            line = UNSET
        else:
            line = self.line

        column: int | None | Unset
        if isinstance(self.column, Unset):
            column = UNSET
        else:
            column = self.column

        key_id: None | str | Unset
        if isinstance(self.key_id, Unset):
            key_id = UNSET
        else:
            key_id = self.key_id

        daily_limit: int | None | Unset
        if isinstance(self.daily_limit, Unset):
            daily_limit = UNSET
        else:
            daily_limit = self.daily_limit

        written_today: int | None | Unset
        if isinstance(self.written_today, Unset):
            written_today = UNSET
        else:
            written_today = self.written_today

        rows: int | None | Unset
        if isinstance(self.rows, Unset):
            rows = UNSET
        else:
            rows = self.rows

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "title": title,
                "status": status,
                "detail": detail,
            }
        )
        if errors is not UNSET:
            field_dict["errors"] = errors
        if checks is not UNSET:
            field_dict["checks"] = checks
        if limit is not UNSET:
            field_dict["limit"] = limit
        if line is not UNSET:
            field_dict["line"] = line
        if column is not UNSET:
            field_dict["column"] = column
        if key_id is not UNSET:
            field_dict["key_id"] = key_id
        if daily_limit is not UNSET:
            field_dict["daily_limit"] = daily_limit
        if written_today is not UNSET:
            field_dict["written_today"] = written_today
        if rows is not UNSET:
            field_dict["rows"] = rows

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.field_problem import FieldProblem  # noqa: PLC0415
        from ..models.problem_details_checks_type_0 import ProblemDetailsChecksType0  # noqa: PLC0415

        d = dict(src_dict)
        type_ = d.pop("type")

        title = d.pop("title")

        def _parse_status(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        status = _parse_status(d.pop("status"))

        detail = d.pop("detail")

        def _parse_errors(data: object) -> list[FieldProblem] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                errors_type_0 = []
                _errors_type_0 = data
                for errors_type_0_item_data in _errors_type_0:
                    errors_type_0_item = FieldProblem.from_dict(errors_type_0_item_data)

                    errors_type_0.append(errors_type_0_item)

                return errors_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[FieldProblem] | None | Unset, data)

        errors = _parse_errors(d.pop("errors", UNSET))

        def _parse_checks(data: object) -> None | ProblemDetailsChecksType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                checks_type_0 = ProblemDetailsChecksType0.from_dict(data)

                return checks_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ProblemDetailsChecksType0 | Unset, data)

        checks = _parse_checks(d.pop("checks", UNSET))

        def _parse_limit(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        limit = _parse_limit(d.pop("limit", UNSET))

        def _parse_line(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        line = _parse_line(d.pop("line", UNSET))

        def _parse_column(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        column = _parse_column(d.pop("column", UNSET))

        def _parse_key_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        key_id = _parse_key_id(d.pop("key_id", UNSET))

        def _parse_daily_limit(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        daily_limit = _parse_daily_limit(d.pop("daily_limit", UNSET))

        def _parse_written_today(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        written_today = _parse_written_today(d.pop("written_today", UNSET))

        def _parse_rows(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        rows = _parse_rows(d.pop("rows", UNSET))

        problem_details = cls(
            type_=type_,
            title=title,
            status=status,
            detail=detail,
            errors=errors,
            checks=checks,
            limit=limit,
            line=line,
            column=column,
            key_id=key_id,
            daily_limit=daily_limit,
            written_today=written_today,
            rows=rows,
        )

        problem_details.additional_properties = d
        return problem_details

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
