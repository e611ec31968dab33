"""Ready to serve from a fresh clone, the use case behind `chaos serve`: the database migrated, demo
data seeded into an empty embedded database, a champion model trained when there is none, and the
calibrations of today and tomorrow stored (what the scheduled `chaos calibrate` does in production).

Whatever exists is reused, so a second start only checks. Demo data is never written to an external
database.
"""

from datetime import UTC, datetime

import sqlalchemy as sa

from chaos.application.calibration_job import default_days, store_calibrations
from chaos.infrastructure.config import Settings
from chaos.infrastructure.db.tables import marketing, socio_eco
from chaos.infrastructure.demo.facts import REAL_ROWS
from chaos.infrastructure.models.artifacts import ArtifactStore


class PreparationError(Exception):
    """The service cannot be made ready (no model could be trained); the message says why."""


def prepare(settings: Settings, engine: sa.Engine, store: ArtifactStore, demo_rows: int = REAL_ROWS) -> str:
    """Make the database (migrated, behind `engine`), a champion model and its calibrations ready;
    returns the version that will be served. Seeding needs chaos[demo] and training chaos[train],
    imported only then."""
    version = _model(settings, engine, store, demo_rows)
    run = store_calibrations(
        settings, engine, store, default_days(datetime.now(UTC).date()), lambda stage: None
    )
    print(f"chaos: stored the calibrations of today and tomorrow ({len(run.stored)} models)", flush=True)
    return version


def _model(settings: Settings, engine: sa.Engine, store: ArtifactStore, demo_rows: int) -> str:
    if settings.database.embedded and _is_empty(engine):
        from chaos.application.seed_demo import seed_demo

        summary = seed_demo(engine, rows=demo_rows)
        print(f"chaos: empty database, seeding demo data: {summary.describe()}", flush=True)
    if settings.model.version:
        return settings.model.version
    champion = store.champion()
    if champion is not None:
        return champion
    from chaos.application.train_model_for_appetence import TrainingError, train

    print(f"chaos: no champion model in {store.location}, training one", flush=True)
    try:
        return train(
            settings, champion=True, engine=engine, progress=lambda stage: print(f"  {stage}", flush=True)
        )
    except TrainingError as error:
        raise PreparationError(f"cannot train a model: {error}") from error


def _is_empty(engine: sa.Engine) -> bool:
    with engine.connect() as connection:
        return not any(
            connection.scalar(sa.select(sa.exists().select_from(table))) for table in (marketing, socio_eco)
        )
