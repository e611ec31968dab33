"""One real PostgreSQL for the whole test session: embedded on a free port, or the server named by
$CHAOS_TEST_DATABASE_URL (e.g. the pipeline's PostgreSQL service container); and the real export
when it is present."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml
from sqlalchemy.engine import make_url

from chaos.infrastructure.api_keys import key_hash
from chaos.infrastructure.config.settings import ApiSettings, DatabaseSettings, ModelSettings, Settings
from chaos.infrastructure.db import schema
from chaos.infrastructure.db.embedded import EmbeddedPostgres
from chaos.infrastructure.db.engine import create_engine
from chaos.infrastructure.models.signing import public_text
from harness.network import free_port
from harness.publisher import PUBLISHER, publisher_settings
from tests.web_clients import TEST_KEY

EXTERNAL_DATABASE = "CHAOS_TEST_DATABASE_URL"

SHARED_DATA = Path(
    os.environ.get("CHAOS_REAL_EXPORT_DIR")
    or Path(__file__).resolve().parents[3] / "shared" / "data" / "bank-marketing-fr"
)
"""The real export: beside the project by default, elsewhere when $CHAOS_REAL_EXPORT_DIR names it."""

PUBLISHER_TRUSTED = {"public_keys": [public_text(PUBLISHER)]}
"""A `model` section trusting the publisher's key alone, for the suites' models that are never read
from a store (a fake) or are published by PUBLISHER."""


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real export beside the project; tests using it skip on a user's clone that lacks it."""
    if not (SHARED_DATA / "data.csv").is_file():
        pytest.skip(f"real export not present at {SHARED_DATA}")
    return SHARED_DATA


def external_database(url: str) -> DatabaseSettings:
    """A postgresql:// URL (user, password, host, port, database) as settings for a server chaos
    does not start."""
    parsed = make_url(url)
    return DatabaseSettings(
        embedded=False,
        host=parsed.host or "127.0.0.1",
        port=parsed.port or 5432,
        name=parsed.database or "chaos",
        user=parsed.username or "chaos",
        password=parsed.password or "",
    )


def settings_on(database: DatabaseSettings, **sections) -> Settings:
    """Settings on the test database that accept TEST_KEY and models signed by the publisher's key
    unless `sections` say otherwise: the demo keys are only valid with the embedded server, and the
    test database may be an external one."""
    defaults = {"api": ApiSettings(keys=[key_hash(TEST_KEY)]), "model": ModelSettings(**PUBLISHER_TRUSTED)}
    return Settings(**{**defaults, **sections, "database": database})


def publisher_model(directory: Path, **fields) -> ModelSettings:
    """The `model` section of a store at `directory` that publishes and trusts the publisher's key
    (its private key written beside the store), for settings_on."""
    return ModelSettings(
        **publisher_settings(directory, directory.with_name(f"{directory.name}.pem")), **fields
    )


def model_on(database: DatabaseSettings, directory: Path) -> ModelSettings:
    """The `model` section of a store at `directory` that serves on `database`: the demo's signing key
    on the embedded server (as the demo and the served suites have it), the publisher's on an external
    one, where the demo signing key is refused."""
    return ModelSettings(directory=directory) if database.embedded else publisher_model(directory)


def configuration_on(database: DatabaseSettings, **sections) -> str:
    """A configuration file on the test database, models trusted by the publisher's key, with
    `sections` (the commands' api keys...): the demo keys are only valid with the embedded server."""
    defaults = {"model": PUBLISHER_TRUSTED}
    return yaml.safe_dump({**defaults, **sections, "database": database.model_dump(mode="json")})


def embedded_only(database: DatabaseSettings) -> None:
    """Skip a test about the embedded demo server when the suite runs on an external database."""
    if not database.embedded:
        pytest.skip(f"only with the embedded server (${EXTERNAL_DATABASE} names an external one)")


@pytest.fixture(scope="session")
def database_settings(tmp_path_factory) -> Iterator[DatabaseSettings]:
    if url := os.environ.get(EXTERNAL_DATABASE):
        yield external_database(url)
        return
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


def emptied(engine: sa.Engine) -> sa.Engine:
    """The database's data tables emptied."""
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "TRUNCATE socio_eco, marketing, import_history, calibration, reported_outcome, "
                "model_performance, served_score"
            )
        )
    return engine


@pytest.fixture
def engine(migrated_engine) -> sa.Engine:
    """A migrated database emptied before each test."""
    return emptied(migrated_engine)
