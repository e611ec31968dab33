"""Ready to serve from a fresh clone, the use case behind `chaos serve`: the database migrated, demo
data seeded into an empty embedded database, and a champion model trained when there is none.

Whatever exists is reused, so a second start only checks. Demo data is never written to an external
database.
"""

import sqlalchemy as sa

from chaos.infrastructure.config import Settings
from chaos.infrastructure.db.tables import marketing, socio_eco
from chaos.infrastructure.demo.facts import REAL_ROWS
from chaos.infrastructure.models.artifacts import ArtifactStore


class PreparationError(Exception):
    """The service cannot be made ready (no model could be trained); the message says why."""


def prepare(settings: Settings, engine: sa.Engine, store: ArtifactStore, demo_rows: int = REAL_ROWS) -> str:
    """Make the database (migrated, behind `engine`) and a champion model ready; returns the version
    that will be served. Seeding needs chaos[demo] and training chaos[train], imported only then."""
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
