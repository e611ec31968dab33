"""The bundles of ports a process hands its use cases: what a serving process reads and keeps
(`Stores`), and what the scheduled jobs read and write (`JobStores`). The composition root
(chaos/bootstrap.py) fills them with the database's adapters; tests with in-memory fakes."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from chaos.domain.calibration import CalibrationStore
from chaos.domain.performance import PerformanceLog
from chaos.domain.reported_outcome import OutcomeBook
from chaos.domain.repositories import ContactLog, SocioEcoRepository
from chaos.domain.served_record import ServedOutcomes


class Stores(Protocol):
    """Where a serving process reads the socio-economic indicators and the stored calibrations,
    keeps reported outcomes, reads the measured performance, and whether that store answers now.
    No calibration store (None): answers are not shifted, and say stale. No outcome book (None):
    this process cannot take reports. No performance log (None): nothing measured to show."""

    @property
    def repository(self) -> SocioEcoRepository: ...

    @property
    def calibrations(self) -> CalibrationStore | None: ...

    @property
    def outcomes(self) -> OutcomeBook | None: ...

    @property
    def performance(self) -> PerformanceLog | None: ...

    def ping(self) -> object:
        """Raise IndicatorsUnavailable when the store cannot answer."""


@dataclass(frozen=True)
class GivenStores:
    """Stores supplied one by one (tests, other front ends); `ping` defaults to a cheap read."""

    repository: SocioEcoRepository
    check: Callable[[], object] | None = None
    calibrations: CalibrationStore | None = None
    outcomes: OutcomeBook | None = None
    performance: PerformanceLog | None = None

    def ping(self) -> object:
        return (self.check or self.repository.known_range)()


@dataclass(frozen=True)
class JobStores:
    """What `chaos calibrate` and `chaos monitor` read and write. No served record (None): the
    slopes are fitted, and the days measured, on the call log scored by the model."""

    contacts: ContactLog
    indicators: SocioEcoRepository
    calibrations: CalibrationStore
    performance: PerformanceLog
    served: ServedOutcomes | None = None
