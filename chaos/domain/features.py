"""The appetence model's inputs: the one feature list that training, serving and the API share, and
the one rule saying which values each feature accepts.

A value is None (missing) or of its feature's kind: a label is a string, a flag a boolean, and a
number any real number (int, float, and numpy's integers and floats, which training frames hold)
but never a boolean: True is an int in Python, and must not pass as 1, nor 1 as a flag.
"""

import numbers
from collections.abc import Callable

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

EXCLUDED = {
    "duration_contact": "known only after the call: a model using it cannot score before calling",
}

TARGET = "subscription"


def is_label(value: object) -> bool:
    return isinstance(value, str)


def is_flag(value: object) -> bool:
    return isinstance(value, bool)


def is_number(value: object) -> bool:
    """int and float first: the common case skips the slower abstract-class check."""
    return isinstance(value, int | float | numbers.Real) and not isinstance(value, bool)


_KINDS: dict[Callable[[object], bool], str] = {
    is_label: "a string",
    is_flag: "a boolean",
    is_number: "a number",
}


def accepts(name: str) -> Callable[[object], bool]:
    """The predicate a known (not None) value of feature `name` satisfies."""
    if name in CATEGORICAL:
        return is_label
    return is_flag if name in BOOLEAN else is_number


def wrong_value(name: str, value: object) -> ValueError:
    return ValueError(f"feature {name!r}: {value!r} is not {_KINDS[accepts(name)]} or None")


def check_value(name: str, value: object) -> None:
    """Raise `wrong_value` unless `value` is None or of the kind of feature `name`."""
    if value is not None and not accepts(name)(value):
        raise wrong_value(name, value)
