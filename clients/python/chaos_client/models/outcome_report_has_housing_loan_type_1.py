from typing import Literal

OutcomeReportHasHousingLoanType1 = Literal["0", "1", "false", "no", "non", "oui", "true", "yes"]

OUTCOME_REPORT_HAS_HOUSING_LOAN_TYPE_1_VALUES: set[OutcomeReportHasHousingLoanType1] = {
    "0",
    "1",
    "false",
    "no",
    "non",
    "oui",
    "true",
    "yes",
}


def check_outcome_report_has_housing_loan_type_1(value: str) -> OutcomeReportHasHousingLoanType1:
    if value in OUTCOME_REPORT_HAS_HOUSING_LOAN_TYPE_1_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {OUTCOME_REPORT_HAS_HOUSING_LOAN_TYPE_1_VALUES!r}")
