"""Calibration to recent outcomes: the one definition used by evaluation, backtest and serving.

The subscription rate drifts far more than the ranking of customers does, so the served probability
is the model's log-odds plus an intercept shift chosen so that the model's mean prediction over the
trailing window equals the subscription rate observed there. Only outcomes dated strictly before
the contact day count: nobody knows today's outcomes when dialling today.

The window is the trailing `WINDOWS_DAYS[0]` calendar days; when they hold fewer than
`MIN_CONTACTS` contacts, the next, wider window; when even the widest holds fewer, no shift at all
(the model as trained), and the answer says so (`window_days` is None).
"""

import math
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from chaos.domain.repositories import ContactLog, SocioEcoRepository
from chaos.domain.scoring import ScoringModel
from chaos.domain.socio_eco import INDICATORS

WINDOWS_DAYS = (7, 28)
"""Trailing windows tried in order, in calendar days before the contact day."""
MIN_CONTACTS = 30
"""Fewer known outcomes than this in a window: its rate is too noisy, try the next one."""
MAX_ABS_SHIFT = 20.0
"""Bound of the shift's search interval (log-odds): far beyond any rate a window can show."""


@dataclass(frozen=True, slots=True)
class Calibration:
    """The shift added to the model's log-odds for one contact day, and what it was computed from."""

    shift: float
    """Added to the model's log-odds before the sigmoid."""
    window_days: int | None
    """Trailing window used; None when no window held MIN_CONTACTS outcomes (no shift)."""
    since: date | None
    """First day of the window (inclusive)."""
    until: date | None
    """Last day of the window (inclusive): the day before the contact."""
    contacts: int
    """Outcomes in the window."""
    observed_rate: float | None
    """Share of those contacts that subscribed."""

    def probability(self, log_odds: float) -> float:
        return sigmoid(log_odds + self.shift)


class CalibrationSource(ABC):
    """Where serving gets the calibration of a day for a model (cached, read live)."""

    @abstractmethod
    def calibration(self, model: ScoringModel, day: date) -> Calibration:
        """Raises IndicatorsUnavailable when the call log cannot be read."""


def uncalibrated(contacts: int = 0) -> Calibration:
    """The fallback: too few recent outcomes to say anything about the level, the model as trained."""
    return Calibration(0.0, None, None, None, contacts, None)


def trailing_windows(day: date) -> list[tuple[int, date, date]]:
    """(days, first, last) of each window tried for `day`, narrowest first."""
    return [(days, day - timedelta(days=days), day - timedelta(days=1)) for days in WINDOWS_DAYS]


def calibrate(day: date, dates: np.ndarray, log_odds: np.ndarray, outcomes: np.ndarray) -> Calibration:
    """The calibration of contact day `day` from past contacts.

    `dates` (datetime64[D], sorted ascending), `log_odds` (the model's, before any shift) and
    `outcomes` (True = subscribed) describe contacts; only those in a trailing window are used,
    so callers may pass more (evaluation passes every contact)."""
    contacts = 0
    for days, first, last in trailing_windows(day):
        start, stop = np.searchsorted(dates, np.array([first, day], dtype="datetime64[D]"), side="left")
        contacts = int(stop - start)
        if contacts >= MIN_CONTACTS:
            window_odds, window_outcomes = log_odds[start:stop], outcomes[start:stop]
            rate = float(np.mean(window_outcomes))
            shift = intercept_shift(window_odds, rate, contacts)
            return Calibration(shift, days, first, last, contacts, rate)
    return uncalibrated(contacts)


def calibrate_from_log(
    day: date, model: ScoringModel, log: ContactLog, indicators: SocioEcoRepository
) -> Calibration:
    """`calibrate` for serving: the widest window's contacts read from the log, each scored by
    `model` with the indicators the as-of rule gives its own date, as training scored them."""
    first, last = trailing_windows(day)[-1][1:]
    contacts = log.contacts_between(first, last)
    if not contacts:
        return uncalibrated()
    months = indicators.as_of_many({contact.date for contact in contacts}, model.publication_lag_days)
    unknown = dict.fromkeys(INDICATORS)
    rows = [{**c.features, **(row.as_features() if (row := months[c.date]) else unknown)} for c in contacts]
    return calibrate(
        day,
        np.array([c.date for c in contacts], dtype="datetime64[D]"),
        np.array(model.log_odds_many(rows), dtype=float),
        np.array([c.subscribed for c in contacts], dtype=bool),
    )


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
