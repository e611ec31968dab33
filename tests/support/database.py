"""One real PostgreSQL (embedded, on a free port) for the whole test session, and the real export when
it is present."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from chaos.infrastructure.config.settings import DatabaseSettings
from chaos.infrastructure.db import schema
from chaos.infrastructure.db.embedded import EmbeddedPostgres
from chaos.infrastructure.db.engine import create_engine
from tests.support.network import free_port

SHARED_DATA = Path(
    os.environ.get("CHAOS_REAL_EXPORT_DIR")
    or Path(__file__).resolve().parents[3] / "shared" / "data" / "bank-marketing-fr"
)
"""The real export: beside the project by default, elsewhere when $CHAOS_REAL_EXPORT_DIR names it."""


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real export beside the project; tests using it skip on a user's clone that lacks it."""
    if not (SHARED_DATA / "data.csv").is_file():
        pytest.skip(f"real export not present at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture(scope="session")
def database_settings(tmp_path_factory) -> Iterator[DatabaseSettings]:
    settings = DatabaseSettings(data_dir=tmp_path_factory.mktemp("pg") / "data", port=free_port())
    server = EmbeddedPostgres(settings)
    server.start()
    yield settings
    server.stop()


@pytest.fixture(scope="session")
def migrated_engine(database_settings) -> Iterator[sa.Engine]:
    engine = create_engine(database_settings)
    schema.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def engine(migrated_engine) -> sa.Engine:
    """A migrated database emptied before each test."""
    with migrated_engine.begin() as connection:
        connection.execute(sa.text("TRUNCATE socio_eco, marketing, import_history"))
    return migrated_engine
