"""The training set: `marketing` joined to `socio_eco` by the domain's as-of rule, in date order.

Both tables are read whole and joined in numpy with `pick_indices`, the vectorised form of the
same rule the serving path asks PostgreSQL for, so training and serving see the same indicators.
Contacts for which the rule finds no row (dated before the first usable month) are kept until the
time-ordered split, so the holdout is the latest share of all contacts, then left out and counted.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd
import sqlalchemy as sa

from chaos.domain.as_of import DEFAULT_LAG_DAYS, pick_indices
from chaos.domain.features import CUSTOMER_FEATURES, TARGET
from chaos.domain.holdout import holdout_start
from chaos.domain.socio_eco import INDICATORS, SocioEcoIndicators
from chaos.infrastructure.db.tables import marketing, socio_eco
from chaos.infrastructure.training.frame import feature_frame


class TrainingDataError(Exception):
    """The database holds nothing a model can be trained on."""


@dataclass(frozen=True)
class TrainingData:
    features: pd.DataFrame
    """MODEL_FEATURES columns, one row per contact, oldest first."""
    target: np.ndarray
    """True where the contact subscribed (False while pending: read it only where `resolved`)."""
    dates: np.ndarray
    """Contact dates (datetime64[D]), non-decreasing."""
    usable: np.ndarray
    """True where the as-of rule found indicators; the other contacts cannot be trained on."""
    resolved: np.ndarray
    """True where the outcome is known (outcome.Outcome.resolved): a pending call is no label."""
    indicators_age_days: np.ndarray
    """Days from the picked indicators' date to the contact (-1 where none): the freshness serving checks."""

    @property
    def left_out(self) -> int:
        """Contacts without point-in-time indicators (dated before the first usable month)."""
        return int((~self.usable).sum())

    def split(self, holdout_share: float) -> tuple["TrainingData", "TrainingData"]:
        """(older, latest `holdout_share` of contacts): a time-ordered holdout, as the model will be used."""
        cut = holdout_start(len(self.target), holdout_share)
        return self.rows(slice(None, cut)), self.rows(slice(cut, None))

    @property
    def pending(self) -> int:
        """Contacts whose outcome is not known yet: never a label, never in a calibration window."""
        return int((~self.resolved).sum())

    @property
    def labelled(self) -> np.ndarray:
        """The contacts a model can learn from or be judged on: indicators found, outcome known."""
        return self.usable & self.resolved

    def rows(self, rows: slice | np.ndarray) -> "TrainingData":
        """The contacts a slice, index array or boolean mask selects, still oldest first."""
        features = self.features.loc[np.arange(len(self.target))[rows]].reset_index(drop=True)
        return TrainingData(
            features,
            self.target[rows],
            self.dates[rows],
            self.usable[rows],
            self.resolved[rows],
            self.indicators_age_days[rows],
        )


def load_training_data(engine: sa.Engine, lag_days: int = DEFAULT_LAG_DAYS) -> TrainingData:
    """All contacts, oldest first, with the indicators the as-of rule (with `lag_days`) picks."""
    query = sa.select(*marketing.c["date", *CUSTOMER_FEATURES, TARGET]).order_by(
        marketing.c.date, marketing.c.id
    )
    with engine.connect() as connection:
        contacts = connection.execute(query).mappings().all()
        query = sa.select(*socio_eco.c["date", *INDICATORS])
        months = [SocioEcoIndicators(**row) for row in connection.execute(query).mappings()]
    if not contacts:
        raise TrainingDataError(
            "the marketing table is empty: import an export (`chaos db import`) or `chaos db seed-demo`"
        )
    dates = np.array([row["date"] for row in contacts], dtype="datetime64[D]")
    picked = pick_indices(months, dates, lag_days)
    unknown = dict.fromkeys(INDICATORS)
    records = [
        {**row, **(months[index].as_features() if index >= 0 else unknown)}
        for row, index in zip(contacts, picked.tolist(), strict=True)
    ]
    labels = [row[TARGET] for row in contacts]
    month_dates = np.array([month.date for month in months], dtype="datetime64[D]")
    ages = np.full(len(dates), -1)
    found = picked >= 0
    ages[found] = (dates[found] - month_dates[picked[found]]).astype(int)
    return TrainingData(
        features=feature_frame(records),
        target=np.array([label is True for label in labels], dtype=bool),
        dates=dates,
        usable=picked >= 0,
        resolved=np.array([label is not None for label in labels], dtype=bool),
        indicators_age_days=ages,
    )
