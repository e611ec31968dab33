"""`chaos monitor`: how well the served model did on the last days whose outcomes are known.

A day's figures are those of what was served, read from the served record: each answer recorded with
a contact id, joined with its contact's resolved outcome (same id, same contact day), the
probability exactly as it was answered, measured per model version that answered (a contact scored
twice on its day by one version counts once, with its last answer). Such a day is measured on its
recorded answers only, and says so (`source: served`).

A day none of whose resolved outcomes meets a recorded answer (callers that send no contact id, or
days before the served record) is measured as before, by scoring its resolved contacts again as they
were served: by the served model, with the indicators the as-of rule gave their day, shifted by that
day's calibration as `chaos calibrate` stored it and pods read it (`StoredCalibrations`); contacts
serving would have refused (no indicators, or indicators older than `socio_eco.max_age_days`) are
left out. Those figures say `source: rescored`: a reconstruction, exact only while the served
model, its calibration rows and the indicators are the ones of that day. The figures of each day are
kept per (model version, day), for `/metrics` and `/monitoring` to read.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from chaos.application.stored_calibrations import StoredCalibrations
from chaos.application.stores import JobStores
from chaos.domain.calibration import CalibrationSource
from chaos.domain.campaign import score_campaign
from chaos.domain.customer import Appetence, Customer
from chaos.domain.model_store import ModelStore
from chaos.domain.performance import DayPerformance, MeasureSource
from chaos.domain.repositories import ContactLog, SocioEcoRepository
from chaos.domain.scoring import ScoringModel
from chaos.domain.served_figures import RANKING_WINDOW_DAYS, day_performance
from chaos.domain.served_record import ServedOutcome, ServedOutcomes


@dataclass(frozen=True)
class Sources:
    """What measuring reads: the resolved outcomes, the indicators, the stored calibration of a day,
    and the served record joined with the outcomes (None: none kept, every day is rescored)."""

    contacts: ContactLog
    indicators: SocioEcoRepository
    calibrations: CalibrationSource
    served: ServedOutcomes | None = None


@dataclass(frozen=True)
class ServedModelMonitor:
    models: ModelStore
    stores: JobStores
    version: str | None
    """The served model: the pinned `model.version`, else (None) the champion."""
    max_age_days: int | None

    def run(self, days: int, today: date) -> list[DayPerformance]:
        """Measure the `days` days before `today` and record the figures; returns them, oldest day
        first."""
        model = self.models.load(self.version)
        calibrations = StoredCalibrations(self.stores, ttl_seconds=0)
        sources = Sources(self.stores.contacts, self.stores.indicators, calibrations, self.stores.served)
        measures = measure(model, sources, days, today, self.max_age_days)
        self.stores.performance.record(measures)
        return measures


def measure(
    model: ScoringModel,
    sources: Sources,
    days: int,
    today: date,
    max_age_days: int | None,
) -> list[DayPerformance]:
    """The figures of each of the `days` days before `today` that has resolved contacts: from the
    served record where it holds some of the day's, else `model`'s scores as served."""
    first, last = today - timedelta(days=days), today - timedelta(days=1)
    window_first = first - timedelta(days=RANKING_WINDOW_DAYS - 1)
    answered = [] if sources.served is None else sources.served.between(window_first, last)
    recorded = measure_answers(answered, first)
    rescored = [
        measured
        for measured in measure_rescored(model, sources, first, last, max_age_days)
        if measured.day not in {day.day for day in recorded}
    ]
    return sorted(recorded + rescored, key=lambda measured: (measured.day, measured.model_version))


def measure_answers(answered: Sequence[ServedOutcome], first: date) -> list[DayPerformance]:
    """The figures of each model version on each day from `first` on that it answered: the
    probabilities as served, the AUCs over its own answers of the ranking window."""
    measures = []
    for version in sorted({score.model_version for score in answered}):
        own = [score for score in answered if score.model_version == version]
        dates = np.array([score.contact_date for score in own], dtype="datetime64[D]")
        target = np.array([score.subscribed for score in own], dtype=bool)
        probability = np.array([score.probability for score in own], dtype=float)
        days = sorted({score.contact_date for score in own if score.contact_date >= first})
        measures += [
            day_performance(version, day, target, probability, dates, MeasureSource.SERVED) for day in days
        ]
    return measures


def measure_rescored(
    model: ScoringModel, sources: Sources, first: date, last: date, max_age_days: int | None
) -> list[DayPerformance]:
    """`model`'s figures on each day from `first` to `last`, its resolved contacts scored again as
    serving would have scored them."""
    batches = sources.contacts.resolved_between(first - timedelta(days=RANKING_WINDOW_DAYS - 1), last)
    contacts = [contact for batch in batches for contact in batch]
    customers = [Customer(contact.date, contact.features) for contact in contacts]
    results = score_campaign(customers, sources.indicators, model, sources.calibrations, max_age_days)
    scored = [
        (contact, result)
        for contact, result in zip(contacts, results, strict=True)
        if isinstance(result, Appetence)
    ]
    if not scored:
        return []
    served = [contact for contact, _ in scored]
    dates = np.array([contact.date for contact in served], dtype="datetime64[D]")
    target = np.array([contact.subscribed for contact in served], dtype=bool)
    probability = np.array([result.appetence for _, result in scored], dtype=float)
    days = sorted({contact.date for contact in served if contact.date >= first})
    rescored = MeasureSource.RESCORED
    return [day_performance(model.version, day, target, probability, dates, rescored) for day in days]
