"""The exact shape of what the metadata records beside the holdout's `metrics`: `intervals` and
`steady` (chaos.infrastructure.training.uncertainty), checked alike on synthetic and trained models."""

INTERVAL_FIELDS = {"method", "level", "resamples", "seed", "months", "roc_auc", "brier"}
STEADY_FIELDS = {
    "rule",
    "dominance",
    "median_month_contacts",
    "dominant",
    "months",
    "contacts",
    "metrics",
    "intervals",
}


def check_intervals(intervals: dict) -> None:
    assert set(intervals) == INTERVAL_FIELDS
    for name in ("roc_auc", "brier"):
        low, high = intervals[name]
        assert isinstance(low, float) and isinstance(high, float) and low <= high


def check_uncertainty(metadata: dict) -> None:
    """`metadata` holds `metrics`, `intervals` and `steady` of the same holdout, in their exact shape."""
    check_intervals(metadata["intervals"])
    steady = metadata["steady"]
    assert set(steady) == STEADY_FIELDS
    assert all(set(month) == {"month", "contacts", "share"} for month in steady["dominant"])
    assert all(isinstance(month, str) for month in steady["months"])
    if steady["metrics"] is not None:
        assert set(steady["metrics"]) == set(metadata["metrics"])
        check_intervals(steady["intervals"])
