from typing import Literal

AppetenceRequestHasPersoLoanType1 = Literal["0", "1", "false", "no", "non", "oui", "true", "yes"]

APPETENCE_REQUEST_HAS_PERSO_LOAN_TYPE_1_VALUES: set[AppetenceRequestHasPersoLoanType1] = {
    "0",
    "1",
    "false",
    "no",
    "non",
    "oui",
    "true",
    "yes",
}


def check_appetence_request_has_perso_loan_type_1(value: str) -> AppetenceRequestHasPersoLoanType1:
    if value in APPETENCE_REQUEST_HAS_PERSO_LOAN_TYPE_1_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {APPETENCE_REQUEST_HAS_PERSO_LOAN_TYPE_1_VALUES!r}")
