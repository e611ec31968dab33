"""A poisoning reporter on the demo data (no real export needed): with the default `outcomes`
settings its invented contacts are refused, counted on its key, and the next day's mean served
probability does not move beyond BOUND; with unknown contacts accepted, its flood is refused past the
daily limit, and `chaos outcomes purge --key` takes the rest back and restores the next day's
scores exactly. Each row written names its key, rows written before keys were kept have none."""

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
import yaml
from alembic import command

from chaos.bootstrap import calibration_of, training_on, web_worker
from chaos.domain.features import CUSTOMER_FEATURES
from chaos.entrypoints.cli.main import main
from chaos.entrypoints.web.app_factory import create_app
from chaos.infrastructure.api_keys import key_hash, new_key
from chaos.infrastructure.config.settings import (
    ApiSettings,
    CalibrationSettings,
    OutcomeSettings,
    Settings,
)
from chaos.infrastructure.db import schema
from chaos.infrastructure.db.tables import marketing, reported_outcome
from chaos.infrastructure.demo.seeding import seed_demo
from chaos.infrastructure.models.signing import public_text
from harness.publisher import PUBLISHER
from tests.support.database import publisher_model
from tests.support.poisoning import BOUND, FEW, FLOOD, Poisoning, mean_served, poison, refused_rows
from tests.web_clients import keyed_client

TOOL, INTRUDER = new_key(), new_key()
TODAY = datetime.now(UTC).date()


def settings_for(database_settings, models, outcomes: OutcomeSettings) -> Settings:
    keys = [
        {"hash": key_hash(TOOL), "scopes": ["score", "report_outcomes"], "id": "tool"},
        {"hash": key_hash(INTRUDER), "scopes": ["report_outcomes"], "id": "intruder"},
    ]
    return Settings(
        database=database_settings,
        api=ApiSettings(keys=keys, batch_max_rows=2 * FLOOD),  # the flood is refused by the bounds
        model=publisher_model(models),
        calibration=CalibrationSettings(cache_ttl_seconds=0),
        outcomes=outcomes,
    )


@pytest.fixture
def demo(engine, database_settings, tmp_path):
    """The demo data, a champion trained on it, and the next day's customers: the last 200 contacts'
    fields, dated tomorrow. Returns the settings' arguments and the customers."""
    seed_demo(engine, rows=4000, seed=6)
    models = tmp_path / "models"
    training_on(settings_for(database_settings, models, OutcomeSettings()), engine).train(True)
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(marketing).order_by(marketing.c.date.desc()).limit(200)
        ).mappings()
        fields = [{name: row[name] for name in CUSTOMER_FEATURES} for row in rows]
    tomorrow = TODAY + timedelta(days=1)
    return models, [{**f, "date": tomorrow.isoformat()} for f in fields]


def configure_commands(database_settings, tmp_path, monkeypatch, more: dict | None = None) -> None:
    """The commands' configuration file: this database, no key, models signed by the publisher's key,
    `more` sections."""
    config = tmp_path / "chaos.yml"
    database = {"embedded": False, "host": database_settings.host, "port": database_settings.port}
    model = {"directory": str(tmp_path / "models"), "public_keys": [public_text(PUBLISHER)]}
    sections = {"database": database, "api": {"keys": []}, "model": model, **(more or {})}
    config.write_text(yaml.safe_dump(sections))
    monkeypatch.setenv("CHAOS_CONFIGURATION_PATH", str(config))


def poisoned(engine, settings: Settings, customers: list[dict]) -> Poisoning:
    app = create_app(web_worker(settings))
    try:
        tomorrow = date.fromisoformat(customers[0]["date"])
        run = calibration_of(settings, engine)
        fields = {name: customers[0][name] for name in CUSTOMER_FEATURES}
        return poison(
            keyed_client(app, TOOL),
            keyed_client(app, INTRUDER),
            lambda: run.run([tomorrow], lambda stage: None),
            customers,
            TODAY,
            fields,
        )
    finally:
        app.extensions["chaos"].service.stores.engine.dispose()


def test_by_default_invented_contacts_are_refused_and_the_next_day_stays_within_the_bound(
    engine, database_settings, demo
):
    models, customers = demo
    refused_before = refused_rows("intruder", "unknown-contacts")
    result = poisoned(engine, settings_for(database_settings, models, OutcomeSettings()), customers)
    few, flood = result.answers
    assert (few.status_code, flood.status_code) == (422, 422), (few.json, flood.json)
    assert few.json["type"] == flood.json["type"] == "urn:chaos:problem:unknown-contacts"
    assert (few.json["error_count"], flood.json["error_count"]) == (FEW, FLOOD)
    assert refused_rows("intruder", "unknown-contacts") - refused_before == FEW + FLOOD
    with engine.connect() as connection:
        assert connection.scalar(sa.select(sa.func.count()).select_from(reported_outcome)) == 0
    print(f"\nnext day's mean served probability {result.before:.6f} -> {result.after:.6f}")
    assert result.moved <= BOUND


def test_accepted_invented_contacts_are_bounded_by_the_daily_limit_and_purged_by_key(
    engine, database_settings, demo, tmp_path, monkeypatch, capsys
):
    models, customers = demo
    accepting = OutcomeSettings(unknown_contacts="accept")
    settings = settings_for(database_settings, models, accepting)
    exceeded_before = refused_rows("intruder", "report-volume-exceeded")
    result = poisoned(engine, settings, customers)
    few, flood = result.answers
    assert few.status_code == 200 and few.json["new"] == FEW
    assert flood.status_code == 429, flood.json
    assert flood.json["type"] == "urn:chaos:problem:report-volume-exceeded"
    limit = accepting.max_daily_reports_per_key
    assert (flood.json["daily_limit"], flood.json["written_today"], flood.json["rows"]) == (limit, FEW, FLOOD)
    assert refused_rows("intruder", "report-volume-exceeded") - exceeded_before == FLOOD
    with engine.connect() as connection:
        kept = connection.execute(
            sa.select(reported_outcome.c.key_id, sa.func.count()).group_by(reported_outcome.c.key_id)
        )
        assert dict(kept.all()) == {"intruder": FEW}
    with capsys.disabled():
        print(f"\naccepted: the next day's mean served probability {result.before:.6f} -> {result.after:.6f}")
    assert result.after > result.before + BOUND  # what the default refusal prevents

    configure_commands(database_settings, tmp_path, monkeypatch)
    assert main(["outcomes", "volumes"]) == 0
    listed = capsys.readouterr().out
    assert f"{TODAY}  intruder" in listed and f"{FEW:6d}" in listed
    assert main(["outcomes", "purge", "--key", "intruder", "--from", str(TODAY)]) == 0
    purged = capsys.readouterr().out
    assert f"{FEW} reported outcome(s) of key 'intruder' deleted" in purged
    assert f"to {TODAY + timedelta(days=1)}" in purged  # tomorrow's calibration recomputed
    restored = create_app(web_worker(settings))
    try:
        assert mean_served(keyed_client(restored, TOOL), customers) == pytest.approx(result.before, abs=1e-12)
    finally:
        restored.extensions["chaos"].service.stores.engine.dispose()


def test_purging_an_unknown_key_deletes_nothing_and_says_so(
    engine, database_settings, tmp_path, monkeypatch, capsys
):
    configure_commands(database_settings, tmp_path, monkeypatch)
    assert main(["outcomes", "purge", "--key", "nobody"]) == 0
    assert "no reported outcome of key 'nobody' to purge" in capsys.readouterr().out
    assert main(["outcomes", "purge", "--key", "nobody", "--from", "2026-03-02", "--to", "2026-03-01"]) == 2
    assert "is after" in capsys.readouterr().err


def test_rows_reported_before_keys_were_kept_have_no_key_id(engine):
    with engine.begin() as connection:
        command.downgrade(schema._config(connection), "0006")
    try:
        with engine.begin() as connection:
            connection.execute(
                sa.text("INSERT INTO reported_outcome (id, date, outcome) VALUES (1, '2026-11-02', 'Refus')")
            )
    finally:
        schema.upgrade(engine)
    with engine.connect() as connection:
        assert connection.execute(sa.select(reported_outcome.c.id, reported_outcome.c.key_id)).all() == [
            (1, None)
        ]
