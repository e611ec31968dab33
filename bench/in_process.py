"""Scoring in the bench's own process: the options for one customer, and a campaign list at once.

The three single-row options compared are the compiled terms summed in plain Python plus the day's
calibration, looked up in the serving cache (what an answer costs in process once the indicators
are read), the same terms as numpy arrays for a one-row batch, and the scikit-learn pipeline on a
one-row pandas frame (what the starter did on every request).
"""

import statistics
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from chaos.domain.calibration import CalibrationSource
from chaos.domain.features import CUSTOMER_FEATURES
from chaos.domain.socio_eco import SocioEcoIndicators
from chaos.infrastructure.demo.generator import generate
from chaos.infrastructure.models.artifacts import TrainedModel
from chaos.infrastructure.training.frame import feature_frame

REPEATS = 7
BATCH_ROWS = 10_000


@dataclass(frozen=True)
class InProcess:
    compiled_us: float
    uncalibrated_us: float
    numpy_row_us: float
    sklearn_us: float
    batch_rows_per_second: float


def feature_rows(count: int, indicators: SocioEcoIndicators) -> list[dict]:
    """Demo customers (with their missing values) in the month of `indicators`."""
    customers = generate(count, seed=7).marketing
    month = indicators.as_features()
    return [{name: row[name] for name in CUSTOMER_FEATURES} | month for row in customers]


def measure(
    model: TrainedModel, rows: Sequence[Mapping[str, object]], calibrations: CalibrationSource, day: date
) -> InProcess:
    def sklearn_one(row):
        return model.pipeline.predict_proba(feature_frame([row]))[0, 1]

    def served_one(row):
        return calibrations.calibration(model, day).probability(model.log_odds_one(row))

    batch = list(rows[:BATCH_ROWS])
    batch_seconds = _median_seconds(lambda: model.scorer.predict_many(batch))
    return InProcess(
        compiled_us=_per_call_us(served_one, rows[:2000]),
        uncalibrated_us=_per_call_us(model.scorer.predict_one, rows[:2000]),
        numpy_row_us=_per_call_us(lambda row: model.scorer.predict_many([row]), rows[:300]),
        sklearn_us=_per_call_us(sklearn_one, rows[:40]),
        batch_rows_per_second=len(batch) / batch_seconds,
    )


def _per_call_us(score: Callable[[Mapping], object], rows: Sequence[Mapping]) -> float:
    """Median over REPEATS passes of the mean time per call, in microseconds."""

    def one_pass():
        for row in rows:
            score(row)

    return _median_seconds(one_pass) / len(rows) * 1e6


def _median_seconds(work: Callable[[], object]) -> float:
    work()  # warm caches and lazy imports
    samples = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        work()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)
