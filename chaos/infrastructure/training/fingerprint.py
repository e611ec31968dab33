"""The fingerprint of the rows a model was trained and evaluated on: retraining is worth it only
when it changes (a contact added, corrected or removed, a socio-economic month published)."""

import hashlib

import pandas as pd

from chaos.infrastructure.training.training_data import TrainingData


def fingerprint(data: TrainingData) -> str:
    """sha256 over every contact's date, features (indicators included) and outcome (pending or
    not), in order."""
    digest = hashlib.sha256()
    digest.update(pd.util.hash_pandas_object(data.features, index=False).to_numpy().tobytes())
    digest.update(data.dates.astype("int64").tobytes())
    digest.update(data.target.tobytes())
    digest.update(data.resolved.tobytes())  # a pending call resolving as a refusal is new data
    return "sha256:" + digest.hexdigest()
