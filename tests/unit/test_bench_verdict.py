"""The bench's verdict: a target measured over rounds passes or misses only when every round agrees."""

import pytest

from bench.verdict import Target


@pytest.mark.parametrize(
    ("rounds", "at_least", "status"),
    [
        ([0.80, 0.78, 0.90], True, "pass"),
        ([0.60, 0.70, 0.74], True, "MISS"),
        ([0.70, 0.76, 0.80], True, "undecided"),
        ([0.70, 0.74, 0.80], True, "undecided"),
        ([2.0, 2.5, 2.9], False, "pass"),
        ([2.9, 3.1, 3.2], False, "undecided"),
    ],
)
def test_rounds_on_both_sides_of_the_goal_are_undecided(rounds, at_least, status):
    goal = 0.75 if at_least else 3
    target = Target.of_rounds("ratio", rounds, goal, "×", at_least=at_least)
    assert target.status == status
    assert target.figure == sorted(rounds)[1]
    assert f"({min(rounds):,.2f}–{max(rounds):,.2f})" in target.row()


def test_a_single_figure_is_judged_on_itself():
    assert Target("cold start", 1.2, 3, "s", at_least=False).status == "pass"
    assert Target("batch", 15_000, 20_000, "rows/s").status == "MISS"
    assert Target("batch", None, 20_000, "rows/s").status == "not measured"
