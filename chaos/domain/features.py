"""The appetence model's inputs: the one feature list that training, serving and the API share, and
the rules saying which values each feature accepts.

A value is None (missing) or of its feature's kind: a label is a string, a flag a boolean, and a
number any real number (int, float, and numpy's integers and floats, which training frames hold)
but never a boolean: True is an int in Python, and must not pass as 1, nor 1 as a flag.

A customer's numbers also lie within their feature's `RANGES`, which the API's schema, the import of
the call log and `Customer` share, so no entry point builds a customer another one refuses.
"""

import numbers
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any

from chaos.domain.socio_eco import INDICATORS

CATEGORICAL = (
    "job_type",
    "status",
    "education",
    "contact",
    "result_last_campaign",
)
BOOLEAN = ("has_default", "has_housing_loan", "has_perso_loan")
NUMERIC = ("age", "balance", "nb_contact", "nb_day_last_contact", "nb_contact_last_campaign")
SOCIO_ECONOMIC = INDICATORS

CUSTOMER_FEATURES = CATEGORICAL + BOOLEAN + NUMERIC
MODEL_FEATURES = CUSTOMER_FEATURES + SOCIO_ECONOMIC

RANGES: Mapping[str, tuple[int, int]] = MappingProxyType(
    {
        "age": (18, 120),
        "balance": (-100_000_000, 100_000_000),
        "nb_contact": (1, 1_000),
        "nb_day_last_contact": (-1, 10_000),
        "nb_contact_last_campaign": (0, 1_000),
    }
)
"""Inclusive bounds of each numeric customer feature. nb_contact counts this campaign's contacts
including the coming call; nb_day_last_contact is -1 for a customer never contacted before, as in
the bank's export."""

EXCLUDED = {
    "duration_contact": "known only after the call: a model using it cannot score before calling",
}

TARGET = "subscription"


def is_label(value: object) -> bool:
    return isinstance(value, str)


def is_flag(value: object) -> bool:
    return isinstance(value, bool)


_NUMBERS = (int, float, numbers.Real)
"""int and float first: the common case skips the slower abstract-class check."""


def is_number(value: object) -> bool:
    return isinstance(value, _NUMBERS) and not isinstance(value, bool)


_KINDS: dict[Callable[[object], bool], str] = {
    is_label: "a string",
    is_flag: "a boolean",
    is_number: "a number",
}


_ACCEPTS = {
    **dict.fromkeys(CATEGORICAL, is_label),
    **dict.fromkeys(BOOLEAN, is_flag),
    **dict.fromkeys(NUMERIC + SOCIO_ECONOMIC, is_number),
}


_PLAIN: dict[Callable[[object], bool], frozenset[type]] = {
    is_label: frozenset({str}),
    is_flag: frozenset({bool}),
    is_number: frozenset({int, float}),
}
_PLAIN_TYPES = {name: _PLAIN[kind] for name, kind in _ACCEPTS.items()}
"""The exact types of a JSON value or a database column each feature's predicate accepts: a value of
one of them needs no call to the predicate (the rule depends on the type alone)."""


def accepts(name: str) -> Callable[[object], bool]:
    """The predicate a known (not None) value of feature `name` satisfies; KeyError for a name that
    is no model feature."""
    return _ACCEPTS[name]


def plain_types(name: str) -> frozenset[type]:
    """Types `accepts(name)` holds true without being called (see _PLAIN_TYPES)."""
    return _PLAIN_TYPES[name]


def wrong_value(name: str, value: object) -> ValueError:
    return ValueError(f"feature {name!r}: {value!r} is not {_KINDS[accepts(name)]} or None")


def check_values(values: Mapping[str, object], names: Iterable[str]) -> None:
    """Raise `wrong_value` for the first of `names` whose value in `values` is neither None nor of
    its feature's kind (one loop, no call for a value of a plain type: it runs on every request)."""
    for name in names:
        value = values[name]
        if value is not None and type(value) not in _PLAIN_TYPES[name] and not _ACCEPTS[name](value):
            raise wrong_value(name, value)


_BOUNDS = tuple((name, low, high) for name, (low, high) in RANGES.items())
"""RANGES flattened: `check_ranges` runs on every customer scored."""


def out_of_range(name: str, value: object) -> ValueError:
    low, high = RANGES[name]
    return ValueError(f"feature {name!r}: {value!r} is out of range [{low}, {high}]")


def check_ranges(values: Mapping[str, object]) -> None:
    """Raise `out_of_range` for the first ranged feature whose known value in `values` lies outside
    its bounds (NaN included); call it on values of their kind (`check_values`)."""
    for name, low, high in _BOUNDS:
        value: Any = values[name]
        if value is not None and not low <= value <= high:
            raise out_of_range(name, value)
