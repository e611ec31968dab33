from typing import Literal

AppetenceRequestHasDefaultType1 = Literal["0", "1", "false", "no", "non", "oui", "true", "yes"]

APPETENCE_REQUEST_HAS_DEFAULT_TYPE_1_VALUES: set[AppetenceRequestHasDefaultType1] = {
    "0",
    "1",
    "false",
    "no",
    "non",
    "oui",
    "true",
    "yes",
}


def check_appetence_request_has_default_type_1(value: str) -> AppetenceRequestHasDefaultType1:
    if value in APPETENCE_REQUEST_HAS_DEFAULT_TYPE_1_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {APPETENCE_REQUEST_HAS_DEFAULT_TYPE_1_VALUES!r}")
