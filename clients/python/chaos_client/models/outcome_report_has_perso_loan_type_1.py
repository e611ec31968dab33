from typing import Literal

OutcomeReportHasPersoLoanType1 = Literal["0", "1", "false", "no", "non", "oui", "true", "yes"]

OUTCOME_REPORT_HAS_PERSO_LOAN_TYPE_1_VALUES: set[OutcomeReportHasPersoLoanType1] = {
    "0",
    "1",
    "false",
    "no",
    "non",
    "oui",
    "true",
    "yes",
}


def check_outcome_report_has_perso_loan_type_1(value: str) -> OutcomeReportHasPersoLoanType1:
    if value in OUTCOME_REPORT_HAS_PERSO_LOAN_TYPE_1_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {OUTCOME_REPORT_HAS_PERSO_LOAN_TYPE_1_VALUES!r}")
