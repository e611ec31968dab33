"""Socio-economic indicators of a month, as the other team publishes them in `socio_eco`."""

from dataclasses import dataclass
from datetime import date

INDICATORS = ("employment_variation_rate", "idx_consumer_price", "idx_consumer_confidence")


@dataclass(frozen=True, slots=True)
class SocioEcoIndicators:
    """One month-end row; an indicator is None while the month is unknown."""

    date: date
    employment_variation_rate: float | None
    idx_consumer_price: float | None
    idx_consumer_confidence: float | None

    @property
    def is_complete(self) -> bool:
        """Only complete rows may feed the model (the as-of rule skips the others)."""
        return all(getattr(self, name) is not None for name in INDICATORS)

    def as_features(self) -> dict[str, float | None]:
        return {name: getattr(self, name) for name in INDICATORS}
