from typing import Literal

OutcomeReportOutcome = Literal["Absent", "En Attente", "Refus", "Souscrit", "Suppression"]

OUTCOME_REPORT_OUTCOME_VALUES: set[OutcomeReportOutcome] = {
    "Absent",
    "En Attente",
    "Refus",
    "Souscrit",
    "Suppression",
}


def check_outcome_report_outcome(value: str) -> OutcomeReportOutcome:
    if value in OUTCOME_REPORT_OUTCOME_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {OUTCOME_REPORT_OUTCOME_VALUES!r}")
