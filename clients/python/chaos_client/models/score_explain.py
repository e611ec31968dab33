from typing import Literal

ScoreExplain = Literal["false", "true"]

SCORE_EXPLAIN_VALUES: set[ScoreExplain] = {
    "false",
    "true",
}


def check_score_explain(value: str) -> ScoreExplain:
    if value in SCORE_EXPLAIN_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {SCORE_EXPLAIN_VALUES!r}")
