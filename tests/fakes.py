"""In-memory stand-ins for the domain ports (cosmicpython style): they apply the domain rule itself."""

from collections.abc import Iterable
from datetime import date

from chaos.domain import as_of
from chaos.domain.repositories import IndicatorsUnavailable, SocioEcoRepository
from chaos.domain.socio_eco import SocioEcoIndicators


class InMemorySocioEcoRepository(SocioEcoRepository):
    def __init__(self, rows: Iterable[SocioEcoIndicators] = ()):
        self.rows = list(rows)
        self.available = True
        self.reads = 0

    def _check(self) -> None:
        self.reads += 1
        if not self.available:
            raise IndicatorsUnavailable("fake database is down")

    def as_of(self, contact_date: date) -> SocioEcoIndicators | None:
        self._check()
        return as_of.pick(self.rows, contact_date)

    def as_of_many(self, contact_dates: Iterable[date]) -> dict[date, SocioEcoIndicators | None]:
        self._check()
        return {d: as_of.pick(self.rows, d) for d in set(contact_dates)}

    def known_range(self) -> tuple[date, date] | None:
        self._check()
        dates = [row.date for row in self.rows if row.is_complete]
        return (min(dates), max(dates)) if dates else None
