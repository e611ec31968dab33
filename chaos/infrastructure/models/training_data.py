"""The training set: `marketing` joined to `socio_eco` by the domain's as-of rule, in date order.

Both tables are read whole and joined in numpy with `pick_indices`, the vectorised form of the
same rule the serving path asks PostgreSQL for, so training and serving see the same indicators.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd
import sqlalchemy as sa

from chaos.domain.as_of import pick_indices
from chaos.domain.features import CUSTOMER_FEATURES, TARGET
from chaos.domain.socio_eco import INDICATORS, SocioEcoIndicators
from chaos.infrastructure.db.tables import marketing, socio_eco
from chaos.infrastructure.models.frame import feature_frame


class TrainingDataError(Exception):
    """The database holds nothing a model can be trained on."""


@dataclass(frozen=True)
class TrainingData:
    features: pd.DataFrame
    """MODEL_FEATURES columns, one row per contact, oldest first."""
    target: np.ndarray
    """True where the contact subscribed."""
    dates: np.ndarray
    """Contact dates (datetime64[D]), non-decreasing."""
    without_socio_eco: int
    """Contacts older than every complete socio_eco month: their indicators are missing."""

    def split(self, holdout_share: float) -> tuple["TrainingData", "TrainingData"]:
        """(older, latest `holdout_share` of contacts): a time-ordered holdout, as the model will be used."""
        cut = len(self.target) - round(len(self.target) * holdout_share)
        return self._rows(slice(None, cut)), self._rows(slice(cut, None))

    def _rows(self, rows: slice) -> "TrainingData":
        features = self.features.iloc[rows].reset_index(drop=True)
        missing = int(features[list(INDICATORS)].isna().any(axis=1).sum())
        return TrainingData(features, self.target[rows], self.dates[rows], missing)


def load_training_data(engine: sa.Engine) -> TrainingData:
    query = sa.select(*marketing.c["date", *CUSTOMER_FEATURES, TARGET]).order_by(
        marketing.c.date, marketing.c.id
    )
    with engine.connect() as connection:
        contacts = connection.execute(query).mappings().all()
        months = [SocioEcoIndicators(**row) for row in connection.execute(sa.select(socio_eco)).mappings()]
    if not contacts:
        raise TrainingDataError(
            "the marketing table is empty: import an export (`chaos db import`) or `chaos db seed-demo`"
        )
    dates = np.array([row["date"] for row in contacts], dtype="datetime64[D]")
    picked = pick_indices(months, dates)
    unknown = dict.fromkeys(INDICATORS)
    records = [
        {**row, **(months[index].as_features() if index >= 0 else unknown)}
        for row, index in zip(contacts, picked.tolist(), strict=True)
    ]
    return TrainingData(
        features=feature_frame(records),
        target=np.array([row[TARGET] for row in contacts], dtype=bool),
        dates=dates,
        without_socio_eco=int((picked < 0).sum()),
    )
