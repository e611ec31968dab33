"""Calibration to recent outcomes: the one definition used by evaluation, backtest and the job that
stores what serving reads.

The subscription rate drifts far more than the ranking of customers does, so the served probability
is the model's log-odds plus an intercept shift chosen so that the model's mean prediction over a
trailing window equals the subscription rate observed there. Only *resolved* outcomes count
(a pending call is unknown, not a refusal: outcome.Outcome), and only those the bank has reported:
the outcomes of day t are complete from day t + 1 + `reporting_lag_days`, so the windows of contact
day d end at d - lag - 1.

The window is the narrowest of `windows_days` holding `min_contacts` resolved outcomes. A short
window follows the level quickly but noisily, which spreads the served scores too far (a slope of
about 0.73 on the real export's holdout): so the shifted log-odds are then recalibrated, by a
logistic fit of the outcomes of the trailing `slope_window_days` on the shifted log-odds each of
those contacts was served, giving an offset and a slope; both are learned from outcomes reported by
the contact day only. Where the served record covers the window with enough contacts, the fit reads the
log-odds and shift it kept (what was answered before the outcome was known: out of sample even for a
model trained on those contacts); otherwise the calibrated model's own log-odds, shifted by each
day's level. The calibration says which (`slope_source`).

A day's calibration is stale when its newest outcome is more than `max_age_days` old (outcomes
stopped arriving) or when no window holds `min_contacts` outcomes. A stale day is served the last
fresh calibration, unchanged: the calibration of the latest earlier day that knew the same newest
outcome and was fresh, with its windows, contacts, shift, slope and offset as they were, flagged
stale with its age counted from the day served. Sliding the windows on would refit the level and
the slope on fewer and fewer of the same old outcomes, so that a stale score would drift by itself
while the truth stands still. When no day knowing that outcome was fresh (even the windows ending at
it hold too few outcomes), there is no shift at all, flagged stale; that too stands still until an
outcome arrives. Stale answers are still served (the shift does not change the ranking, and a
flagged old level beats none), never silently: the flag, a gauge and an alert.
"""

import math
from abc import ABC, abstractmethod
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum

import numpy as np

from chaos.domain.scoring import ScoringModel


class SlopeSource(StrEnum):
    """Which log-odds of the slope window's contacts the slope and offset were fitted on."""

    SERVED = "served"
    """The shifted log-odds the served record holds: what was answered before the outcome was known."""
    MODEL = "model"
    """The calibrated model's own log-odds, shifted by each contact day's level (no served record)."""


MAX_ABS_SHIFT = 20.0
"""Bound of the shift's search interval (log-odds): far beyond any rate a window can show."""


@dataclass(frozen=True, slots=True)
class CalibrationPolicy:
    """How outcomes turn into a calibration; the defaults are those the service always had."""

    reporting_lag_days: int = 0
    """Reporting delay: the outcomes of day t are complete from day t + 1 + reporting_lag_days."""
    windows_days: tuple[int, ...] = (7, 28)
    """Trailing windows tried in order, narrowest first, in calendar days."""
    min_contacts: int = 30
    """Fewer resolved outcomes than this in a window: its rate is too noisy, try the next one."""
    max_age_days: int = 14
    """A calibration whose newest outcome is older than this (in days before the contact) is stale."""
    slope_window_days: int = 112
    """Trailing days whose served log-odds and outcomes fit the slope; 0: intercept shift only."""

    def __post_init__(self) -> None:
        problems = policy_problems(**self.as_dict())
        if problems:
            raise ValueError("; ".join(f"{key}: {problem}" for key, problem in problems.items()))

    def last_known_day(self, day: date) -> date:
        """The last day whose outcomes are complete when contact day `day` is scored."""
        return day - timedelta(days=self.reporting_lag_days + 1)

    def as_dict(self) -> dict:
        return {
            "reporting_lag_days": self.reporting_lag_days,
            "windows_days": self.windows_days,
            "min_contacts": self.min_contacts,
            "max_age_days": self.max_age_days,
            "slope_window_days": self.slope_window_days,
        }

    def history_days(self) -> int:
        """How many days before the last known day a calibration may read outcomes from."""
        return self.slope_window_days + self.reporting_lag_days + max(self.windows_days)


def policy_problems(
    reporting_lag_days: int,
    windows_days: tuple[int, ...],
    min_contacts: int,
    max_age_days: int,
    slope_window_days: int,
) -> dict[str, str]:
    """What is wrong with these values, by key name (empty when usable): the configuration names them."""
    problems = {}
    if reporting_lag_days < 0:
        problems["reporting_lag_days"] = f"must be 0 or more, got {reporting_lag_days}"
    if not windows_days or any(days < 1 for days in windows_days):
        problems["windows_days"] = f"needs at least one window of 1 day or more, got {list(windows_days)}"
    elif list(windows_days) != sorted(set(windows_days)):
        problems["windows_days"] = f"must be increasing, got {list(windows_days)}"
    if min_contacts < 1:
        problems["min_contacts"] = f"must be 1 or more, got {min_contacts}"
    if slope_window_days < 0:
        problems["slope_window_days"] = f"must be 0 (no slope) or more, got {slope_window_days}"
    if max_age_days <= reporting_lag_days:
        problems["max_age_days"] = (
            f"must exceed the reporting lag ({reporting_lag_days} days), got {max_age_days}"
        )
    return problems


DEFAULT_POLICY = CalibrationPolicy()


@dataclass(frozen=True, slots=True)
class Calibration:
    """The shift added to the model's log-odds for one contact day, and what it was computed from."""

    shift: float
    """Added to the model's log-odds before the sigmoid."""
    window_days: int | None
    """Trailing window used; None when no window held enough outcomes (no shift)."""
    since: date | None
    """First day of the window (inclusive)."""
    until: date | None
    """Last day of the window (inclusive)."""
    contacts: int
    """Resolved outcomes in the window."""
    observed_rate: float | None
    """Share of those contacts that subscribed."""
    newest_outcome: date | None = None
    """The newest resolved outcome the calibration could use (None: none at all)."""
    stale: bool = False
    """True when the nominal windows were too thin or the newest outcome is older than the limit."""
    outcomes_age_days: int | None = None
    """Days from the newest usable outcome to the contact day (None: no outcome at all)."""
    slope: float = 1.0
    """Multiplies the shifted log-odds (below 1: the scores are pulled towards the level)."""
    offset: float = 0.0
    """Added after the slope: served log-odds = offset + slope * (model log-odds + shift)."""
    slope_source: SlopeSource | None = None
    """What the slope and offset were fitted on; None when none was fitted (slope 1, offset 0)."""
    moved: bool | None = None
    """True when the calibration moved from the previous day's more than its own recent daily moves
    make plausible (calibration_moves.py); None when there was too little history to judge."""

    def served_log_odds(self, log_odds: float) -> float:
        return self.offset + self.slope * (log_odds + self.shift)

    def probability(self, log_odds: float) -> float:
        return sigmoid(self.served_log_odds(log_odds))

    def probabilities(self, log_odds: np.ndarray) -> np.ndarray:
        return sigmoids(self.offset + self.slope * (log_odds + self.shift))


class CalibrationSource(ABC):
    """Where serving gets the calibration of each contact day for a model: the port the request
    path reads, for one day (a score) or many at once (a campaign list spanning months)."""

    @abstractmethod
    def calibrations(self, model: ScoringModel, days: Collection[date]) -> dict[date, Calibration]:
        """Each day's calibration. Never raises for a missing or unreadable value: that day's answer
        is then a flagged fallback. Raises IndicatorsUnavailable only when the store cannot be reached."""

    def calibration(self, model: ScoringModel, day: date) -> Calibration:
        return self.calibrations(model, [day])[day]


class UnreadableCalibrations(Exception):
    """The store answers but cannot be read: its table is missing (schema not upgraded) or the
    serving role may not read it. A configuration problem, answered like a missing row."""


class CorruptCalibration(UnreadableCalibrations):
    """A stored calibration that cannot be a calibration (a non-finite shift, a rate outside [0, 1])."""


class CalibrationStore(ABC):
    """Calibrations computed once (by `chaos calibrate`) and stored per (model version, contact day)."""

    @abstractmethod
    def save(self, version: str, policy: CalibrationPolicy, calibrations: Mapping[date, Calibration]) -> None:
        """Write (or replace) the calibrations of these days for `version`, in one transaction."""

    @abstractmethod
    def newest(self, version: str, days: Collection[date]) -> dict[date, tuple[date, Calibration] | None]:
        """For each of `days`: the calibration stored for it, else the one of the newest day before it,
        with the day it was computed for; None when `version` has none up to that day. One read.

        Raises CorruptCalibration when a row found cannot be a calibration, UnreadableCalibrations when
        the store cannot be read, IndicatorsUnavailable when it cannot answer."""

    @abstractmethod
    def between(self, version: str, first: date, last: date) -> dict[date, Calibration]:
        """The calibrations stored for `version` for the days `first` to `last` (those that have one):
        the history a new calibration's moves are judged against."""


def uncalibrated(
    contacts: int = 0, newest_outcome: date | None = None, day: date | None = None
) -> Calibration:
    """The fallback: too few outcomes to say anything about the level, the model as trained (stale)."""
    age = (day - newest_outcome).days if day and newest_outcome else None
    return Calibration(0.0, None, None, None, contacts, None, newest_outcome, True, age)


@dataclass(frozen=True)
class Outcomes:
    """Resolved outcomes of past contacts, oldest first, with the model's log-odds of each contact:
    everything a calibration is computed from. Build it with `resolved_outcomes`."""

    dates: np.ndarray
    """datetime64[D], non-decreasing."""
    log_odds: np.ndarray
    subscribed: np.ndarray
    """bool: True where the customer subscribed."""
    late_days: int = 0
    """Days each outcome became known after the policy's reporting lag says: 0 for what the call log
    holds (an outcome not reported yet is not in it); the evaluation's late-report scenarios set it,
    to serve outcomes that arrive late to a policy that does not know it."""


def known_until(day: date, outcomes: Outcomes, policy: CalibrationPolicy) -> date:
    """The newest contact day whose outcomes are known when `day` is scored: the windows end at the
    policy's last known day, and hold what was reported by then."""
    return policy.last_known_day(day) - timedelta(days=outcomes.late_days)


def resolved_outcomes(
    dates: np.ndarray, log_odds: np.ndarray, subscribed: np.ndarray, resolved: np.ndarray
) -> Outcomes:
    """The resolved contacts among these (sorted by date): pending ones never enter a window."""
    return Outcomes(dates[resolved], log_odds[resolved], subscribed[resolved])


MIN_SLOPE_CONTACTS = 200
"""Fewer outcomes than this in the slope window: no slope (1) nor offset (0), the shift alone."""
NEWTON_STEPS = 100
"""Newton's method converges in a handful of steps on a two-parameter logistic likelihood."""
NEWTON_TOLERANCE = 1e-10
"""A step smaller than this (relative to the parameters) ends the fit: it has converged."""
STEP_HALVINGS = 60
"""A step that lowers the likelihood is halved, at most this many times."""


def calibrate(day: date, outcomes: Outcomes, policy: CalibrationPolicy = DEFAULT_POLICY) -> Calibration:
    """The calibration of contact day `day`; only outcomes reported by then are used, so callers
    may pass more (evaluation passes every contact)."""
    return calibrate_days([day], outcomes, policy)[day]


def calibrate_days(
    days: Iterable[date],
    outcomes: Outcomes,
    policy: CalibrationPolicy = DEFAULT_POLICY,
    served: Outcomes | None = None,
) -> dict[date, Calibration]:
    """`calibrate` for many days at once: the level of each day the slopes need is computed once.

    `served`: the resolved outcomes of the contacts the served record holds, with the shifted
    log-odds each was answered (`log_odds` + `shift` as served); where they cover the slope window
    with MIN_SLOPE_CONTACTS of them, the slope is fitted on them alone (out of sample by
    construction), else on `outcomes` shifted by each day's level."""
    outcomes = _in_canonical_order(outcomes)
    served = None if served is None else _in_canonical_order(served)
    levels: dict[date, Calibration] = {}

    def level(day: date) -> Calibration:
        """The level served on `day` (the slopes fit the shift each past contact was served)."""
        if day not in levels:
            source = _served_day(day, outcomes, policy)
            levels[day] = _level(day, outcomes, policy) if source == day else held(level(source), day)
        return levels[day]

    def calibration(day: date) -> Calibration:
        source = _served_day(day, outcomes, policy)
        if source != day:
            return held(calibration(source), day)
        return _recalibrated(day, level(day), outcomes, policy, level, served)

    return {day: calibration(day) for day in days}


def _in_canonical_order(outcomes: Outcomes) -> Outcomes:
    """The same outcomes ordered by date, then log-odds, then outcome: a store returns a day's
    contacts in no particular order, and sums taken in another order differ in their last bits, so
    the same outcomes read twice would give two calibrations a hair apart (and a held one would
    not be served unchanged)."""
    order = np.lexsort((outcomes.subscribed, outcomes.log_odds, outcomes.dates))
    return replace(
        outcomes,
        dates=outcomes.dates[order],
        log_odds=outcomes.log_odds[order],
        subscribed=outcomes.subscribed[order],
    )


def held(fresh: Calibration, day: date) -> Calibration:
    """`fresh`, served unchanged on a later `day`: flagged stale, its outcomes' age counted from `day`."""
    age = (day - fresh.newest_outcome).days if fresh.newest_outcome else None
    return replace(fresh, stale=True, outcomes_age_days=age)


def _served_day(day: date, outcomes: Outcomes, policy: CalibrationPolicy) -> date:
    """The day whose calibration `day` is served: `day` itself when fresh, else the latest earlier
    day that knew the same newest outcome and was fresh (itself when there is none)."""
    newest = _newest_known(day, outcomes, policy)
    if newest is None or _is_fresh(day, newest, outcomes, policy):
        return day
    first = newest + timedelta(days=policy.reporting_lag_days + outcomes.late_days + 1)  # first to know it
    latest = min(day - timedelta(days=1), newest + timedelta(days=policy.max_age_days))
    for back in range((latest - first).days + 1):
        candidate = latest - timedelta(days=back)
        if _is_fresh(candidate, newest, outcomes, policy):
            return candidate
    return day


def _newest_known(day: date, outcomes: Outcomes, policy: CalibrationPolicy) -> date | None:
    """The newest resolved outcome known when `day` is scored."""
    last = known_until(day, outcomes, policy)
    known = int(np.searchsorted(outcomes.dates, np.datetime64(last + timedelta(days=1)), side="left"))
    return outcomes.dates[known - 1].astype(object) if known else None


def _is_fresh(day: date, newest: date, outcomes: Outcomes, policy: CalibrationPolicy) -> bool:
    """Whether `day`'s own calibration is fresh: its newest outcome recent enough, and one of its
    nominal windows holding enough outcomes (what `_level` decides, without computing a shift)."""
    if (day - newest).days > policy.max_age_days:
        return False
    widest = policy.last_known_day(day) - timedelta(days=max(policy.windows_days) - 1)  # the most
    reported = known_until(day, outcomes, policy) + timedelta(days=1)
    since, end = np.searchsorted(
        outcomes.dates, np.array([widest, reported], dtype="datetime64[D]"), side="left"
    )
    return int(end - since) >= policy.min_contacts


def _recalibrated(
    day: date,
    found: Calibration,
    outcomes: Outcomes,
    policy: CalibrationPolicy,
    level: Callable[[date], Calibration],
    served: Outcomes | None,
) -> Calibration:
    """`found` with the slope and offset fitted on the slope window, when it holds enough outcomes:
    those of the served record when it covers the window (answers recorded from the day of its first
    outcome on: a fit on the few days since the record began would be a noisier, shorter window)
    and holds enough of them, else every outcome with the model's log-odds."""
    if not policy.slope_window_days or found.window_days is None:
        return found
    first = policy.last_known_day(day) - timedelta(days=policy.slope_window_days - 1)
    reported = known_until(day, outcomes, policy) + timedelta(days=1)
    bounds = np.array([first, reported], dtype="datetime64[D]")
    start, stop = np.searchsorted(outcomes.dates, bounds, side="left")
    if served is not None and start < stop:
        first_served, stop_served = np.searchsorted(served.dates, bounds, side="left")
        if (
            stop_served - first_served >= MIN_SLOPE_CONTACTS
            and served.dates[first_served] <= outcomes.dates[start]
        ):
            fitted = logistic_fit(
                served.log_odds[first_served:stop_served], served.subscribed[first_served:stop_served]
            )
            return _with_slope(found, fitted, SlopeSource.SERVED)
    if stop - start < MIN_SLOPE_CONTACTS:
        return found
    served_days, of_day = np.unique(outcomes.dates[start:stop], return_inverse=True)
    shifts = np.array([level(served_day.astype(object)).shift for served_day in served_days])
    fitted = logistic_fit(outcomes.log_odds[start:stop] + shifts[of_day], outcomes.subscribed[start:stop])
    return _with_slope(found, fitted, SlopeSource.MODEL)


def _with_slope(found: Calibration, fitted: tuple[float, float] | None, source: SlopeSource) -> Calibration:
    if fitted is None or fitted[1] <= 0:  # no increasing fit: the shift alone
        return found
    offset, slope = fitted
    return replace(found, slope=slope, offset=offset, slope_source=source)


def logistic_fit(x: np.ndarray, outcome: np.ndarray) -> tuple[float, float] | None:
    """(a, b) maximising the likelihood of P(outcome) = sigmoid(a + b x): the unpenalised logistic
    regression, by Newton's method to convergence, a step halved while it lowers the likelihood.

    None when no finite maximum exists: a single class, classes that do not strictly overlap (every
    x of one class at or below every x of the other, a constant x included: the likelihood then
    grows without bound along b), or no convergence within NEWTON_STEPS steps. Where the classes
    overlap the likelihood is strictly concave, so the maximum found is the only one."""
    y = np.asarray(outcome, dtype=bool)
    x = np.asarray(x, dtype=float)
    if not y.any() or y.all() or not np.isfinite(x).all():
        return None
    if x[y].min() >= x[~y].max() or x[~y].min() >= x[y].max():
        return None
    observed = y.astype(float)
    a, b = 0.0, 1.0
    likelihood = _log_likelihood(a, b, x, observed)
    for _ in range(NEWTON_STEPS):
        p = sigmoids(a + b * x)
        w = p * (1 - p)
        gradient = np.array([np.sum(observed - p), np.sum((observed - p) * x)])
        hessian = np.array([[np.sum(w), np.sum(w * x)], [np.sum(w * x), np.sum(w * x * x)]])
        try:
            step = np.linalg.solve(hessian, gradient)
        except np.linalg.LinAlgError:
            return None
        if not np.isfinite(step).all():
            return None
        if float(np.max(np.abs(step))) < NEWTON_TOLERANCE * (1 + max(abs(a), abs(b))):
            return a + float(step[0]), b + float(step[1])
        for _ in range(STEP_HALVINGS):
            found = _log_likelihood(a + float(step[0]), b + float(step[1]), x, observed)
            if found >= likelihood - 1e-12 * abs(likelihood):
                break
            step = step / 2
        else:
            return None  # no step raises the likelihood: stuck short of the maximum
        a, b, likelihood = a + float(step[0]), b + float(step[1]), found
    return None


def _log_likelihood(a: float, b: float, x: np.ndarray, observed: np.ndarray) -> float:
    z = a + b * x
    return float(np.sum(observed * z - np.logaddexp(0.0, z)))


def _level(day: date, outcomes: Outcomes, policy: CalibrationPolicy) -> Calibration:
    """The intercept shift of `day` from its own windows; too thin, no shift (both flagged)."""
    last = policy.last_known_day(day)
    reported = known_until(day, outcomes, policy) + timedelta(days=1)
    known = int(np.searchsorted(outcomes.dates, np.datetime64(reported), side="left"))
    if known == 0:
        return uncalibrated(day=day)
    newest: date = outcomes.dates[known - 1].astype(object)
    age = (day - newest).days
    for days in policy.windows_days:
        since = last - timedelta(days=days - 1)
        start = int(np.searchsorted(outcomes.dates, np.datetime64(since), side="left"))
        contacts = known - start
        if contacts >= policy.min_contacts:
            rate = float(np.mean(outcomes.subscribed[start:known]))
            shift = intercept_shift(outcomes.log_odds[start:known], rate, contacts)
            stale = age > policy.max_age_days
            return Calibration(shift, days, since, last, contacts, rate, newest, stale, age)
    return uncalibrated(contacts, newest, day)


def intercept_shift(log_odds: np.ndarray, rate: float, contacts: int) -> float:
    """The s for which mean(sigmoid(log_odds + s)) equals `rate`.

    A window where nobody (or everybody) subscribed would ask for an infinite shift: the target is
    kept half a contact away from 0 and 1. The mean prediction increases with s, so bisection
    on [-MAX_ABS_SHIFT, MAX_ABS_SHIFT] finds it to the last bit."""
    target = min(max(rate, 0.5 / contacts), 1 - 0.5 / contacts)
    low, high = -MAX_ABS_SHIFT, MAX_ABS_SHIFT
    while True:
        middle = (low + high) / 2
        if middle in (low, high):
            return middle
        if float(np.mean(sigmoids(log_odds + middle))) < target:
            low = middle
        else:
            high = middle


def sigmoid(z: float) -> float:
    """1 / (1 + e^-z) without overflow for very negative z."""
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def sigmoids(z: np.ndarray) -> np.ndarray:
    """`sigmoid` on an array: each branch only where it cannot overflow."""
    out = np.empty_like(z, dtype=float)
    positive = z >= 0
    out[positive] = 1.0 / (1.0 + np.exp(-z[positive]))
    e = np.exp(z[~positive])
    out[~positive] = e / (1.0 + e)
    return out
