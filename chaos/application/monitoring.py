"""`chaos monitor`: how well the served model did on the last days whose outcomes are known.

Each resolved contact of those days is scored exactly as it was served: by the served model, with
the indicators the as-of rule gave its day, shifted by that day's calibration as `chaos calibrate`
stored it and pods read it (`StoredCalibrations`, the CalibrationSource serving uses), so the
figures are those of what was served. Contacts serving would have refused (no indicators, or
indicators older than `socio_eco.max_age_days`) were never served and are left out. The figures of
each day are then kept per (model version, day), for `/metrics` and `/monitoring` to read.
"""

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from chaos.application.stored_calibrations import StoredCalibrations
from chaos.application.stores import JobStores
from chaos.domain.calibration import CalibrationSource
from chaos.domain.campaign import score_campaign
from chaos.domain.customer import Appetence, Customer
from chaos.domain.model_store import ModelStore
from chaos.domain.performance import DayPerformance
from chaos.domain.repositories import ContactLog, SocioEcoRepository
from chaos.domain.scoring import ScoringModel
from chaos.domain.served_figures import RANKING_WINDOW_DAYS, day_performance


@dataclass(frozen=True)
class Sources:
    """What measuring reads: the resolved outcomes, the indicators, the stored calibration of a day."""

    contacts: ContactLog
    indicators: SocioEcoRepository
    calibrations: CalibrationSource


@dataclass(frozen=True)
class ServedModelMonitor:
    models: ModelStore
    stores: JobStores
    version: str | None
    """The served model: the pinned `model.version`, else (None) the champion."""
    max_age_days: int | None

    def run(self, days: int, today: date) -> list[DayPerformance]:
        """Measure the served model on the `days` days before `today` and record the figures;
        returns them, oldest day first."""
        model = self.models.load(self.version)
        calibrations = StoredCalibrations(self.stores, ttl_seconds=0)
        sources = Sources(self.stores.contacts, self.stores.indicators, calibrations)
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
    """The figures of each of the `days` days before `today` that has resolved contacts."""
    first = today - timedelta(days=days)
    batches = sources.contacts.resolved_between(
        first - timedelta(days=RANKING_WINDOW_DAYS - 1), today - timedelta(days=1)
    )
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
    measured_days = sorted({contact.date for contact in served if contact.date >= first})
    return [day_performance(model.version, day, target, probability, dates) for day in measured_days]
