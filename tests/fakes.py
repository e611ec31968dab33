"""In-memory stand-ins for the domain ports (cosmicpython style): they apply the domain rule itself."""

import math
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from datetime import date, timedelta

from chaos.application.daily_calibration import calibrate_models
from chaos.domain import as_of
from chaos.domain.calibration import (
    DEFAULT_POLICY,
    Calibration,
    CalibrationPolicy,
    CalibrationSource,
    CalibrationStore,
    CorruptCalibration,
    uncalibrated,
)
from chaos.domain.reported_outcome import OutcomeBook, ReportedOutcome
from chaos.domain.repositories import ContactLog, IndicatorsUnavailable, PastContact, SocioEcoRepository
from chaos.domain.scoring import Features, ScoringModel
from chaos.domain.socio_eco import SocioEcoIndicators


def last_month(today: date | None = None) -> SocioEcoIndicators:
    """A complete row dated the last day of the previous month: fresh for a contact today."""
    return SocioEcoIndicators((today or date.today()).replace(day=1) - timedelta(days=1), -0.1, 93.2, -40.0)


class InMemorySocioEcoRepository(SocioEcoRepository):
    def __init__(self, rows: Iterable[SocioEcoIndicators] = ()):
        self.rows = list(rows)
        self.available = True
        self.reads = 0

    def _check(self) -> None:
        self.reads += 1
        if not self.available:
            raise IndicatorsUnavailable("fake database is down")

    def as_of(self, contact_date: date, lag_days: int = 0) -> SocioEcoIndicators | None:
        self._check()
        return as_of.pick(self.rows, contact_date, lag_days)

    def as_of_many(
        self, contact_dates: Iterable[date], lag_days: int = 0
    ) -> dict[date, SocioEcoIndicators | None]:
        self._check()
        return {d: as_of.pick(self.rows, d, lag_days) for d in set(contact_dates)}

    def known_range(self) -> tuple[date, date] | None:
        self._check()
        dates = [row.date for row in self.rows if row.is_complete]
        return (min(dates), max(dates)) if dates else None


class FixedCalibrations(CalibrationSource):
    """The same calibration for every day and model (none by default); records the days asked."""

    def __init__(self, calibration: Calibration | None = None):
        self.fixed = calibration or uncalibrated()
        self.days: list[date] = []

    def calibrations(self, model: ScoringModel, days: Collection[date]) -> dict[date, Calibration]:
        self.days.extend(days)
        return dict.fromkeys(days, self.fixed)


class InMemoryContactLog(ContactLog):
    """Resolved contacts only, as the port promises; batches of `batch_rows`."""

    def __init__(self, contacts: Iterable[PastContact] = (), batch_rows: int = 7):
        self.contacts = sorted(contacts, key=lambda contact: contact.date)
        self.batch_rows = batch_rows

    def newest_resolved(self, until: date) -> date | None:
        return max((contact.date for contact in self.contacts if contact.date <= until), default=None)

    def resolved_between(self, first: date, last: date) -> Iterator[Sequence[PastContact]]:
        inside = [contact for contact in self.contacts if first <= contact.date <= last]
        for start in range(0, len(inside), self.batch_rows):
            yield inside[start : start + self.batch_rows]


class InMemoryCalibrationStore(CalibrationStore):
    """Rows by (version, day); `corrupt` holds keys whose row cannot be read back."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, date], Calibration] = {}
        self.corrupt: set[tuple[str, date]] = set()
        self.available = True
        self.reads = 0

    def save(self, version: str, policy: CalibrationPolicy, calibrations: Mapping[date, Calibration]) -> None:
        self.rows.update({(version, day): found for day, found in calibrations.items()})

    def newest(self, version: str, days: Collection[date]) -> dict[date, tuple[date, Calibration] | None]:
        self.reads += 1
        if not self.available:
            raise IndicatorsUnavailable("fake database is down")
        return {day: self._newest(version, day) for day in days}

    def _newest(self, version: str, day: date) -> tuple[date, Calibration] | None:
        stored = [d for (stored_version, d) in self.rows if stored_version == version and d <= day]
        if not stored:
            return None
        newest = max(stored)
        if (version, newest) in self.corrupt:
            raise CorruptCalibration(f"calibration of {version} for {newest}: shift is not finite")
        return newest, self.rows[(version, newest)]


class InMemoryOutcomeBook(OutcomeBook):
    def __init__(self, outcomes: Iterable[ReportedOutcome] = ()):
        self.outcomes = {outcome.contact_id: outcome for outcome in outcomes}
        self.writes = 0

    def update(
        self,
        contact_ids: Sequence[int],
        apply: Callable[[Mapping[int, ReportedOutcome]], Sequence[ReportedOutcome]],
    ) -> None:
        written = apply({key: self.outcomes[key] for key in contact_ids if key in self.outcomes})
        if written:
            self.writes += 1
        self.outcomes.update({outcome.contact_id: outcome for outcome in written})


class FakeScoringModel(ScoringModel):
    """Scores with `scorer(features)` (a probability before calibration; the log-odds are its logit)
    and records what it was given, to check what reaches the model. One contribution per feature:
    the whole log-odds on the first feature, so that they add up."""

    def __init__(
        self,
        scorer: Callable[[Features], float] = lambda features: 0.25,
        version: str = "fake-1",
        vocabulary: dict[str, list[str]] | None = None,
        publication_lag_days: int = 0,
    ):
        self.scorer = scorer
        self.version = version
        self.publication_lag_days = publication_lag_days
        self.vocabulary = vocabulary if vocabulary is not None else dict(VOCABULARY)
        self.seen: list[Features] = []
        self.intercept = 0.0

    def log_odds_one(self, features: Features) -> float:
        return self.log_odds_many([features])[0]

    def log_odds_many(self, rows: Sequence[Features]) -> list[float]:
        self.seen.extend(rows)
        return [_logit(self.scorer(row)) for row in rows]

    def contributions(self, features: Features) -> dict[str, float]:
        names = list(features)
        return {names[0]: _logit(self.scorer(features)), **dict.fromkeys(names[1:], 0.0)}


def _logit(probability: object) -> object:
    """A scorer's probability as log-odds; anything that is not one is passed on for the domain to refuse."""
    if isinstance(probability, float | int) and not isinstance(probability, bool) and 0 < probability < 1:
        return math.log(probability / (1 - probability))
    return probability


VOCABULARY = {
    "job_type": ["Manager", "Technicien", "Retraité"],
    "status": ["Marié", "Célibataire", "Divorcé"],
    "education": ["Primaire", "Secondaire", "Tertiaire"],
    "contact": ["Portable", "Fixe"],
    "result_last_campaign": ["Echec", "Autre", "Succes"],
}
"""A small training vocabulary in the export's spelling, for models faked in tests."""


def stored_calibrations(
    models: Sequence[ScoringModel],
    log: ContactLog,
    repository: SocioEcoRepository,
    *days: date,
    policy: CalibrationPolicy = DEFAULT_POLICY,
) -> InMemoryCalibrationStore:
    """What `chaos calibrate` would store for these days, computed from this call log."""
    store = InMemoryCalibrationStore()
    for version, calibrations in calibrate_models(models, days, log, repository, policy).items():
        store.save(version, policy, calibrations)
    return store
