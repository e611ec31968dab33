"""The real export's 734 pending calls (`En Attente`) are unknown outcomes: stored without a label,
never a training label, never in a calibration window, never judged in the evaluation."""

from datetime import date

import numpy as np
import sqlalchemy as sa

from chaos.domain.calibration import calibrate, resolved_outcomes
from chaos.domain.outcome import Outcome
from chaos.infrastructure.config.settings import ImportSettings
from chaos.infrastructure.db.contact_log import SqlContactLog
from chaos.infrastructure.db.tables import marketing
from chaos.infrastructure.importing import MARKETING, SOCIO_ECO, import_csv
from chaos.infrastructure.training.evaluation import evaluate
from chaos.infrastructure.training.training_data import load_training_data

PENDING = 734


def test_the_real_exports_pending_calls_are_neither_labels_nor_calibration_outcomes(
    engine, shared_data, tmp_path
):
    options = {"max_reject_ratio": ImportSettings().max_reject_ratio, "rejects_dir": tmp_path}
    import_csv(engine, shared_data / "socio_eco.csv", SOCIO_ECO, **options)
    import_csv(engine, shared_data / "data.csv", MARKETING, **options)
    with engine.connect() as connection:
        unlabelled = connection.scalar(sa.select(sa.func.count()).where(marketing.c.subscription.is_(None)))
        pending = connection.scalar(sa.select(sa.func.count()).where(marketing.c.outcome == Outcome.PENDING))
    assert unlabelled == pending == PENDING

    data = load_training_data(engine)
    assert data.pending == PENDING and int(data.target[~data.resolved].sum()) == 0

    log = SqlContactLog(engine, batch_rows=5_000)
    first, last = data.dates[0].astype(object), data.dates[-1].astype(object)
    read = [contact for batch in log.resolved_between(first, last) for contact in batch]
    assert len(read) == len(data.target) - PENDING

    # calibration: a day whose window holds pending calls counts only the resolved ones
    day = date(2008, 6, 2)
    known = resolved_outcomes(data.dates, np.zeros(len(data.dates)), data.target, data.resolved)
    window = calibrate(day, known)
    inside = (data.dates >= np.datetime64(window.since)) & (data.dates <= np.datetime64(window.until))
    assert int((inside & ~data.resolved).sum()) > 0
    assert window.contacts == int((inside & data.resolved).sum())
    assert window.observed_rate == data.target[inside & data.resolved].mean()

    # evaluation: the holdout's pending calls are scored but never judged
    evaluation = evaluate(np.zeros(len(data.target)), data.target, data.dates, data.usable, data.resolved)
    start = len(data.target) - round(len(data.target) * 0.2)
    judged = data.usable[start:] & data.resolved[start:]
    assert len(evaluation.target) == int(judged.sum()) < int(data.usable[start:].sum())
