from typing import Literal

ReportOutcomesReplace = Literal["false", "true"]

REPORT_OUTCOMES_REPLACE_VALUES: set[ReportOutcomesReplace] = {
    "false",
    "true",
}


def check_report_outcomes_replace(value: str) -> ReportOutcomesReplace:
    if value in REPORT_OUTCOMES_REPLACE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {REPORT_OUTCOMES_REPLACE_VALUES!r}")
