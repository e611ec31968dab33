"""Whether a calibration moved more than its own history makes plausible: the check `chaos calibrate`
makes on each day it stores, which the answers, `/ready` and a gauge carry (`Calibration.moved`).

A day's move is the change of its shift, offset and slope from the previous day's calibration. Its
history is the moves of the MOVE_WINDOW_DAYS days before it between two fresh calibrations (a stale
day is a held copy, or no shift at all: how much it moves says nothing of how much the calibration
moves by itself). The day moved when one of the three moved more than MOVE_FACTOR times the median
absolute daily move of its history: a band that scales with each figure's own day-to-day noise, and
that a median keeps from widening after one jump. A stale day that holds the previous day's
calibration unchanged keeps its flag, as it keeps every other value: a held answer is served
unchanged. Fewer than MIN_MOVES moves in the history, or no previous day: None, nothing to judge by.

MOVE_FACTOR comes from the real export's holdout replayed day by day (docs/observability.md, "The
calibration's moves"): the smallest factor above each figure's 99th percentile of honest daily moves
there, so that about one ordinary day in ninety is flagged and a flag is worth a look.
"""

from collections.abc import Mapping
from dataclasses import fields, replace
from datetime import date, timedelta
from statistics import median

from chaos.domain.calibration import Calibration

PARAMETERS = ("shift", "offset", "slope")
"""What the served log-odds are made of besides the model: offset + slope * (log-odds + shift)."""
MOVE_WINDOW_DAYS = 28
"""Days of moves a day is judged against: four weeks of the calibration's own noise."""
MIN_MOVES = 14
"""Fewer moves between fresh days than this in the window: too little history to judge."""
MOVE_FACTOR = 12.0
"""A move beyond this many median daily moves is flagged (chosen on the replayed holdout)."""
_ITS_OWN = {"stale", "outcomes_age_days", "moved"}
"""What a held calibration changes of the one it holds; every other field stays as it was."""


def flag_moves(
    history: Mapping[date, Calibration], computed: Mapping[date, Calibration]
) -> dict[date, Calibration]:
    """`computed` with `moved` set, judged against the calibrations of the days before (`history`,
    as stored, and the earlier days of `computed`)."""
    known = dict(history) | dict(computed)
    flagged = {}
    for day in sorted(computed):
        current, previous = computed[day], known.get(day - timedelta(days=1))
        if previous is not None and current.stale and _held(previous, current):
            moved = previous.moved
        else:
            moved = _moved(day, current, previous, known)
        flagged[day] = known[day] = replace(current, moved=moved)
    return flagged


def move_ratios(day: date, known: Mapping[date, Calibration]) -> dict[str, float] | None:
    """Each figure's move on `day` over the median of its history's moves (inf when that median is 0
    and the figure moved, 0 when it did not); None when there is nothing to judge by."""
    current, previous = known.get(day), known.get(day - timedelta(days=1))
    if current is None or previous is None:
        return None
    history = _history(day, known)
    if len(history) < MIN_MOVES:
        return None
    ratios = {}
    for name in PARAMETERS:
        move = abs(getattr(current, name) - getattr(previous, name))
        typical = median(moves[name] for moves in history)
        ratios[name] = move / typical if typical > 0 else (float("inf") if move > 0 else 0.0)
    return ratios


def _moved(
    day: date, current: Calibration, previous: Calibration | None, known: Mapping[date, Calibration]
) -> bool | None:
    if previous is None:
        return None
    ratios = move_ratios(day, {**known, day: current})
    return None if ratios is None else max(ratios.values()) > MOVE_FACTOR


def _history(day: date, known: Mapping[date, Calibration]) -> list[dict[str, float]]:
    """The absolute daily moves of each figure over the window before `day`, fresh days only."""
    moves = []
    for back in range(1, MOVE_WINDOW_DAYS + 1):
        later, earlier = known.get(day - timedelta(days=back)), known.get(day - timedelta(days=back + 1))
        if later is None or earlier is None or later.stale or earlier.stale:
            continue
        moves.append({name: abs(getattr(later, name) - getattr(earlier, name)) for name in PARAMETERS})
    return moves


def _held(previous: Calibration, current: Calibration) -> bool:
    """Whether `current` is `previous` held unchanged (everything but staleness, age and flag equal)."""
    return all(
        getattr(previous, field.name) == getattr(current, field.name)
        for field in fields(Calibration)
        if field.name not in _ITS_OWN
    )
