"""What a feature value may be, by kind: one rule for the pandas frame and the compiled scorer.

A value is None (missing) or of its feature's kind: a label is a string, a flag a boolean, and a
number an int or float but never a boolean (True is an int in Python, and must not pass as 1).
"""

from collections.abc import Sequence

import numpy as np

from chaos.domain.features import BOOLEAN, CATEGORICAL


def is_label(value: object) -> bool:
    return isinstance(value, str)


def is_flag(value: object) -> bool:
    return isinstance(value, bool)


def is_number(value: object) -> bool:
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool)


def accepts(name: str):
    """The predicate a non-missing value of feature `name` must satisfy."""
    if name in CATEGORICAL:
        return is_label
    return is_flag if name in BOOLEAN else is_number


def check_column(name: str, values: Sequence[object]) -> None:
    """Raise `wrong_value` for a value of `values` that is neither None nor of the feature's kind.

    The predicates depend on the type alone, so one value per distinct type is checked: a batch
    is validated at the speed of `set(map(type, ...))` rather than one Python call per value."""
    valid = accepts(name)
    for kind in set(map(type, values)) - {type(None)}:
        value = next(value for value in values if type(value) is kind)
        if not valid(value):
            raise wrong_value(name, value)


def wrong_value(name: str, value: object) -> ValueError:
    kind = {is_label: "a string", is_flag: "a boolean", is_number: "a number"}[accepts(name)]
    return ValueError(f"feature {name!r}: {value!r} is not {kind} or None")


def lacking(missing) -> ValueError:
    """The error for records without some of the features a model reads."""
    return ValueError(f"feature records lack {sorted(missing)}")
