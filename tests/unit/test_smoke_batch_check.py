"""deployment/smoke.py's batch check: a row the API could not score fails the check with that row's
own problem, not with the whole answer."""

import importlib.util

import pytest

from harness.delivery import DEPLOYMENT

spec = importlib.util.spec_from_file_location("smoke", DEPLOYMENT / "smoke.py")
assert spec is not None and spec.loader is not None
smoke = importlib.util.module_from_spec(spec)
spec.loader.exec_module(smoke)

STALE = {"type": "urn:chaos:problem:stale-indicators", "title": "Socio-economic indicators too old"}


class AnsweringApi:
    """Answers the batch with the rows it was given."""

    def __init__(self, rows: list[dict]):
        self.rows = rows

    def example_customer(self) -> dict:
        return {"age": 40}

    def call(self, method: str, path: str, body: object = None, keyed: bool = True) -> tuple[int, object]:
        return 200, {"results": self.rows}


def test_a_batch_of_probabilities_passes():
    smoke.batch(AnsweringApi([{"appetence": 0.2}, {"appetence": 0.0}, {"appetence": 1}]))


def test_an_unscored_row_fails_the_check_with_its_own_problem():
    rows = [{"appetence": 0.2}, {"appetence": None, "problem": STALE}, {"appetence": None, "problem": STALE}]
    with pytest.raises(smoke.CheckFailed) as failed:
        smoke.batch(AnsweringApi(rows))
    assert str(failed.value) == f"2 of 3 rows unscored, the first: {STALE}"


def test_a_row_that_is_no_probability_and_names_no_problem_is_shown_whole():
    rows = [{"appetence": 0.2}, {"appetence": 0.4}, {"appetence": 1.5}]
    with pytest.raises(smoke.CheckFailed, match=r"1 of 3 rows unscored, the first: \{'appetence': 1.5\}"):
        smoke.batch(AnsweringApi(rows))
