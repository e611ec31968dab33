from typing import Literal

OutcomeReportHasDefaultType1 = Literal["0", "1", "false", "no", "non", "oui", "true", "yes"]

OUTCOME_REPORT_HAS_DEFAULT_TYPE_1_VALUES: set[OutcomeReportHasDefaultType1] = {
    "0",
    "1",
    "false",
    "no",
    "non",
    "oui",
    "true",
    "yes",
}


def check_outcome_report_has_default_type_1(value: str) -> OutcomeReportHasDefaultType1:
    if value in OUTCOME_REPORT_HAS_DEFAULT_TYPE_1_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {OUTCOME_REPORT_HAS_DEFAULT_TYPE_1_VALUES!r}")
