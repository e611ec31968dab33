from typing import Literal

SlopeSource = Literal["model", "served"]

SLOPE_SOURCE_VALUES: set[SlopeSource] = {
    "model",
    "served",
}


def check_slope_source(value: str) -> SlopeSource:
    if value in SLOPE_SOURCE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {SLOPE_SOURCE_VALUES!r}")
