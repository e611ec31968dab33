"""The bench's capacity of one pod: the highest throughput whose p99 and answers held, and the
autoscaler's CPU target turned into requests per second."""

import pytest

from bench.capacity import Capacity, Step, _cores


def capacity(*steps: Step) -> Capacity:
    return Capacity(requested_cores=1.15, pinned_cores=1, workers=2, hpa_target=0.7, steps=list(steps))


def test_the_capacity_is_the_fastest_step_within_the_latency_goal_and_without_failures():
    found = capacity(
        Step(1, 400, 4.0, 800, 0),
        Step(2, 900, 9.0, 820, 0),
        Step(4, 1_000, 30.0, 780, 3),  # a failed answer disqualifies the step
        Step(8, 1_100, 75.0, 760, 0),  # over 50 ms
    )
    assert found.capacity == Step(2, 900, 9.0, 820, 0)
    # 70% of 1.15 cores over the median CPU of the steps within the goal (810 µs)
    assert found.at_hpa_target == pytest.approx(0.7 * 1.15 / 810e-6)


def test_no_step_within_the_goal_means_no_capacity():
    assert capacity(Step(1, 50, 80.0, 900, 0)).capacity is None


@pytest.mark.parametrize(("request_", "cores"), [("1", 1.0), ("100m", 0.1), ("2.5", 2.5), ("50m", 0.05)])
def test_cpu_requests_read_in_cores(request_, cores):
    assert _cores({"resources": {"requests": {"cpu": request_}}}) == cores
