"""The domain's feature-value rule applied to whole columns, for the pandas frame and the compiled scorer."""

from collections.abc import Sequence

from chaos.domain.features import accepts, wrong_value


def check_column(name: str, values: Sequence[object]) -> None:
    """Raise the domain's `wrong_value` for a value of `values` that is neither None nor of the
    feature's kind.

    The rule depends on the type alone, so one value per distinct type is checked: a batch is
    validated at the speed of `set(map(type, ...))` rather than one Python call per value."""
    valid = accepts(name)
    for kind in set(map(type, values)) - {type(None)}:
        value = next(value for value in values if type(value) is kind)
        if not valid(value):
            raise wrong_value(name, value)


def lacking(missing) -> ValueError:
    """The error for records without some of the features a model reads."""
    return ValueError(f"feature records lack {sorted(missing)}")
