"""The bench's loads: slices taken in turn, and the slices of one load reported as one."""

from bench.load import Load, in_turn, merged


def test_slices_of_one_load_add_up_and_keep_the_worst_tail():
    slices = [
        Load(requests=1000, requests_per_second=1000.0, p50_ms=2.0, p99_ms=5.0, failures=0, seconds=1.0),
        Load(requests=800, requests_per_second=800.0, p50_ms=3.0, p99_ms=9.0, failures=1, seconds=1.0),
        Load(requests=1200, requests_per_second=1200.0, p50_ms=1.0, p99_ms=4.0, failures=0, seconds=1.0),
    ]
    whole = merged(slices)
    assert (whole.requests, whole.failures, whole.seconds) == (3000, 1, 3.0)
    assert whole.requests_per_second == 1000.0
    assert (whole.p50_ms, whole.p99_ms) == (2.0, 9.0)


def test_each_turn_starts_with_the_next_name():
    names = ["floor", "chaos-ttl-0", "chaos-ttl-default"]
    assert [in_turn(names, turn)[0] for turn in range(4)] == [*names, "floor"]
    assert sorted(in_turn(names, 2)) == sorted(names)
