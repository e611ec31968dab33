"""95% intervals by resampling whole months: contacts of one month share its level and its campaign,
so they are not independent draws, while months roughly are. Seeded, so a figure is reproducible."""

from collections.abc import Callable, Iterator

import numpy as np

RESAMPLES = 1000
SEED = 20080505
LEVEL = 0.95


def month_groups(dates: np.ndarray) -> list[np.ndarray]:
    """The row indices of each month of `dates`, oldest month first."""
    months = dates.astype("datetime64[M]")
    return [np.flatnonzero(months == month) for month in np.unique(months)]


def month_draws(count: int) -> Iterator[np.ndarray]:
    """The months (indices among `count`) of each of RESAMPLES resamples, drawn with replacement:
    always the same draws for the same number of months."""
    generator = np.random.default_rng(SEED)
    for _ in range(RESAMPLES):
        yield generator.integers(0, count, count)


def percentile_interval(values: list[float], level: float = LEVEL) -> tuple[float, float]:
    """The central `level` of the resampled values (NaN ones, undefined draws, ignored)."""
    tail = (1 - level) / 2 * 100
    low, high = np.nanpercentile(values, [tail, 100 - tail])
    return float(low), float(high)


def month_interval(
    statistic: Callable[[np.ndarray], float], dates: np.ndarray, level: float = LEVEL
) -> tuple[float, float]:
    """Percentile interval of `statistic(rows)` over resamples of the months of `dates`.

    `statistic` receives the row indices of one resample (months drawn with replacement)."""
    groups = month_groups(dates)
    values = [statistic(np.concatenate([groups[i] for i in drawn])) for drawn in month_draws(len(groups))]
    return percentile_interval(values, level)
