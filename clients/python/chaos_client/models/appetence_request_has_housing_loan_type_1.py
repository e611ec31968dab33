from typing import Literal

AppetenceRequestHasHousingLoanType1 = Literal["0", "1", "false", "no", "non", "oui", "true", "yes"]

APPETENCE_REQUEST_HAS_HOUSING_LOAN_TYPE_1_VALUES: set[AppetenceRequestHasHousingLoanType1] = {
    "0",
    "1",
    "false",
    "no",
    "non",
    "oui",
    "true",
    "yes",
}


def check_appetence_request_has_housing_loan_type_1(value: str) -> AppetenceRequestHasHousingLoanType1:
    if value in APPETENCE_REQUEST_HAS_HOUSING_LOAN_TYPE_1_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {APPETENCE_REQUEST_HAS_HOUSING_LOAN_TYPE_1_VALUES!r}")
