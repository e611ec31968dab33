"""In-memory stand-ins for the domain ports (cosmicpython style): they apply the domain rule itself."""

import math
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

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
from chaos.domain.model_store import ChampionConflict, ChampionPointer, ChampionStatus, ModelLoadError
from chaos.domain.performance import DayPerformance, PerformanceLog
from chaos.domain.report_bounds import Reporter
from chaos.domain.reported_outcome import OutcomeBook, ReportedOutcome, ReportsBusy
from chaos.domain.repositories import ContactLog, IndicatorsUnavailable, PastContact, SocioEcoRepository
from chaos.domain.scoring import Features, ScoringModel
from chaos.domain.served_record import ServedOutcome, ServedOutcomes, ServedRecord, ServedScore
from chaos.domain.socio_eco import SocioEcoIndicators
from chaos.domain.training import Candidate, TrainingWindow


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


class InMemoryServedOutcomes(ServedOutcomes):
    """Served scores with their outcomes, given as the join would return them."""

    def __init__(self, answers: Iterable[ServedOutcome] = ()):
        self.answers = sorted(answers, key=lambda answer: answer.contact_date)

    def between(self, first: date, last: date) -> list[ServedOutcome]:
        return [answer for answer in self.answers if first <= answer.contact_date <= last]


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

    def between(self, version: str, first: date, last: date) -> dict[date, Calibration]:
        return {
            day: found
            for (stored_version, day), found in sorted(self.rows.items())
            if stored_version == version and first <= day <= last
        }

    def _newest(self, version: str, day: date) -> tuple[date, Calibration] | None:
        stored = [d for (stored_version, d) in self.rows if stored_version == version and d <= day]
        if not stored:
            return None
        newest = max(stored)
        if (version, newest) in self.corrupt:
            raise CorruptCalibration(f"calibration of {version} for {newest}: shift is not finite")
        return newest, self.rows[(version, newest)]


class InMemoryOutcomeBook(OutcomeBook):
    """Reported outcomes in a dict, every row written today; `seen`: the contacts scored with their id
    or imported (None: every contact is one of them)."""

    def __init__(self, outcomes: Iterable[ReportedOutcome] = (), seen: Iterable[int] | None = None):
        self.outcomes = {outcome.contact_id: outcome for outcome in outcomes}
        self.key_ids: dict[int, str] = {}
        self.seen = None if seen is None else set(seen)
        self.writes = 0
        self.busy = False
        """True: other reports' writes keep every update waiting past its lock timeout."""

    def update(
        self,
        contact_ids: Sequence[int],
        apply: Callable[[Mapping[int, ReportedOutcome]], Sequence[ReportedOutcome]],
        reporter: Reporter,
    ) -> None:
        if self.busy:
            raise ReportsBusy(
                "other reports were being written for longer than this one may wait "
                "(10000 ms, database.report_lock_timeout_ms)"
            )
        written = apply({key: self.outcomes[key] for key in contact_ids if key in self.outcomes})
        if written:
            others = set(contact_ids)
            today = sum(1 for key, by in self.key_ids.items() if by == reporter.key_id and key not in others)
            reporter.admit(today, len(written))
            self.writes += 1
        self.outcomes.update({outcome.contact_id: outcome for outcome in written})
        self.key_ids.update({outcome.contact_id: reporter.key_id for outcome in written})

    def strangers(self, contact_ids: Sequence[int]) -> set[int]:
        if self.seen is None:
            return set()
        return {key for key in contact_ids if key not in self.seen and key not in self.outcomes}


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


class InMemoryPerformanceLog(PerformanceLog):
    def __init__(self) -> None:
        self.measures: dict[tuple[str, date], DayPerformance] = {}

    def record(self, measures: Sequence[DayPerformance]) -> None:
        self.measures.update({(measure.model_version, measure.day): measure for measure in measures})

    def latest(self) -> list[DayPerformance]:
        newest: dict[str, DayPerformance] = {}
        for measure in sorted(self.measures.values(), key=lambda measure: measure.day):
            newest[measure.model_version] = measure
        return list(newest.values())

    def history(self, first: date) -> list[DayPerformance]:
        return [measure for key, measure in sorted(self.measures.items()) if measure.day >= first]


@dataclass(frozen=True)
class Pointer:
    text: str | None


class InMemoryModelStore:
    """A model store of faked models (the ModelPublisher port): published versions are named v1,
    v2...; `broken` versions fail verification; the pointer is replaced only if it is still the one
    read, as in the real one."""

    def __init__(self, *models: ScoringModel, champion: str | None = None):
        self.location = "memory://models"
        self.models: dict[str, ScoringModel] = {model.version: model for model in models}
        self.metadatas: dict[str, dict] = {model.version: dict(model.metadata) for model in models}
        self.published: dict[str, Mapping[str, bytes]] = {}
        self.broken: set[str] = set()
        self.pointer = Pointer(champion)
        self.events: list[dict] = []

    def where(self, version: str, file: str = "") -> str:
        return f"{self.location}/{version}/{file}"

    def versions(self) -> list[str]:
        return sorted(self.models, reverse=True)

    def champion(self) -> str | None:
        return self.pointer.text

    def champion_status(self) -> ChampionStatus:
        return ChampionStatus(self.pointer.text, len(self.events) or None)

    def problems(self) -> list[str]:
        return []

    def metadata(self, version: str) -> dict:
        self._check(version)
        return dict(self.metadatas[version])

    def load(self, version: str | None = None) -> ScoringModel:
        version = version or self.champion()
        if version is None:
            raise ModelLoadError(f"no champion model in {self.location}")
        self._check(version)
        return self.models[version]

    def report(self, version: str) -> bytes:
        self._check(version)
        return self.published[version]["report.html"]

    def champion_pointer(self) -> ChampionPointer:
        return self.pointer

    def publish(
        self,
        artifact: Mapping[str, bytes],
        metadata: dict,
        champion: bool,
        files: Callable[[str], Mapping[str, bytes]] = lambda version: {},
        read: ChampionPointer | None = None,
    ) -> str:
        version = f"v{len(self.models) + 1}"
        self.models[version] = FakeScoringModel(version=version)
        self.metadatas[version] = {**metadata, "version": version}
        self.published[version] = {**artifact, **files(version)}
        if champion:
            self.set_champion(version, {"promotion": metadata.get("promotion")}, read)
        return version

    def set_champion(self, version: str, why: dict, read: ChampionPointer | None = None) -> None:
        self.load(version)
        if read is not None and read is not self.pointer:
            raise ChampionConflict(f"champion of {self.location} changed meanwhile")
        self.events.insert(0, {"from": self.pointer.text, "to": version, **why})
        self.pointer = Pointer(version)

    def history(self) -> list[dict]:
        return list(self.events)

    def _check(self, version: str) -> None:
        if version not in self.models:
            raise ModelLoadError(f"no model version {version!r} in {self.location}")
        if version in self.broken:
            raise ModelLoadError(f"model {version}: manifest.json refused: not signed by a trusted key")


@dataclass(frozen=True)
class FakeVerdict:
    champion: str
    promote: bool
    reason: str = "judged"

    def as_dict(self) -> dict:
        return {"champion": self.champion, "promote": self.promote, "reason": self.reason}


class FakeTrainer:
    """A ModelTrainer: trains instantly on data of a given fingerprint, its gate says `promote`;
    records what it was asked."""

    def __init__(self, fingerprint: str = "data-1", promote: bool = True):
        self.data = fingerprint
        self.promote = promote
        self.asked: list[tuple[TrainingWindow, tuple[str, TrainingWindow] | None, bool]] = []

    def fingerprint(self) -> str:
        return self.data

    def candidate(
        self,
        window: TrainingWindow,
        champion: tuple[str, TrainingWindow] | None,
        backtest: bool,
        progress: Callable[[str], None],
    ) -> Candidate:
        self.asked.append((window, champion, backtest))
        verdict = FakeVerdict(champion[0], self.promote) if champion else None
        metadata = {"data": {"fingerprint": self.data}, "training_window": window.as_dict()}
        return Candidate(
            {"scorer.json": b"{}"}, metadata, verdict, lambda published: repr(published).encode()
        )

    def backtest(self, progress: Callable[[str], None]) -> dict:
        return {"months": []}


def _drawn(published: dict) -> bytes:
    """A stand-in for a model's HTML report: the metadata it was drawn from."""
    return repr(published).encode()


class InMemoryServedRecord(ServedRecord):
    """The served record in memory; `down` makes every write fail as a database outage would."""

    def __init__(self) -> None:
        self.scores: list[ServedScore] = []
        self.appends = 0
        self.down = False

    def append(self, scores: Sequence[ServedScore]) -> None:
        if self.down:
            raise IndicatorsUnavailable("connection refused")
        self.appends += 1
        self.scores.extend(scores)

    def of_contact(self, contact_id: int, contact_date: date | None = None) -> list[ServedScore]:
        return [
            score
            for score in self.scores
            if score.contact_id == contact_id and contact_date in (None, score.contact_date)
        ]

    def purge(self, served_before: datetime) -> int:
        kept = [score for score in self.scores if score.served_at >= served_before]
        removed, self.scores = len(self.scores) - len(kept), kept
        return removed
