from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="OutcomeTally")


@_attrs_define
class OutcomeTally:
    """What the request did, row by row counted: all its rows were applied.

    Attributes:
        count (int):
        new (int):
        resolved (int):
        unchanged (int):
        replaced (int):
    """

    count: int
    new: int
    resolved: int
    unchanged: int
    replaced: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        count = self.count

        new = self.new

        resolved = self.resolved

        unchanged = self.unchanged

        replaced = self.replaced

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "count": count,
                "new": new,
                "resolved": resolved,
                "unchanged": unchanged,
                "replaced": replaced,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        count = d.pop("count")

        new = d.pop("new")

        resolved = d.pop("resolved")

        unchanged = d.pop("unchanged")

        replaced = d.pop("replaced")

        outcome_tally = cls(
            count=count,
            new=new,
            resolved=resolved,
            unchanged=unchanged,
            replaced=replaced,
        )

        outcome_tally.additional_properties = d
        return outcome_tally

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
