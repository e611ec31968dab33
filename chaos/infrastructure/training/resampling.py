"""95% intervals by resampling whole months: contacts of one month share its level and its campaign,
so they are not independent draws, while months roughly are. Seeded, so a figure is reproducible."""

from collections.abc import Callable

import numpy as np

RESAMPLES = 1000
SEED = 20080505


def month_interval(
    statistic: Callable[[np.ndarray], float], dates: np.ndarray, level: float = 0.95
) -> tuple[float, float]:
    """Percentile interval of `statistic(rows)` over resamples of the months of `dates`.

    `statistic` receives the row indices of one resample (months drawn with replacement)."""
    months = dates.astype("datetime64[M]")
    groups = [np.flatnonzero(months == month) for month in np.unique(months)]
    generator = np.random.default_rng(SEED)
    values = []
    for _ in range(RESAMPLES):
        drawn = generator.integers(0, len(groups), len(groups))
        values.append(statistic(np.concatenate([groups[i] for i in drawn])))
    tail = (1 - level) / 2 * 100
    low, high = np.nanpercentile(values, [tail, 100 - tail])
    return float(low), float(high)
