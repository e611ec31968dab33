"""The real export's holdout replayed through the API (the replay's own steps: calibrate, score,
report, measure, day by day), with a poisoning reporter added on the day after the replayed days:
a key allowed to report outcomes invents contacts subscribed the day before, a few then a flood.
With the default `outcomes` settings they are refused and counted on its key, and the next day's
mean served probability moves by no more than BOUND.

The replayed contacts were taken out of the call log and scored without their ids, so their honest
reports go through a server that accepts unknown contacts, as the replay's does; the poisoner's go
through a server with the default settings, on the same database."""

from datetime import timedelta

import pytest

from chaos.bootstrap import calibration_of, training_on, web_worker
from chaos.entrypoints.web.app_factory import create_app
from chaos.infrastructure.api_keys import Scope, key_hash, new_key
from chaos.infrastructure.config.settings import (
    ApiSettings,
    CalibrationSettings,
    OutcomeSettings,
    Settings,
)
from tests.integration.test_replay import features, replay, replayed_days, request, split_export
from tests.support.database import publisher_model
from tests.support.poisoning import BOUND, FEW, FLOOD, poison, refused_rows
from tests.support.reporting import UNBOUNDED
from tests.web_clients import TEST_KEY, keyed_client

INTRUDER = new_key()


@pytest.mark.slow
def test_a_poisoning_reporter_does_not_move_the_next_days_served_probabilities(
    engine, database_settings, shared_data, tmp_path
):
    _, holdout, months = split_export(engine, shared_data, tmp_path)
    keys = [
        {"hash": key_hash(TEST_KEY), "scopes": [Scope.SCORE, Scope.REPORT_OUTCOMES, Scope.READ_MODELS]},
        {"hash": key_hash(INTRUDER), "scopes": [Scope.REPORT_OUTCOMES], "id": "intruder"},
    ]
    honest = Settings(
        database=database_settings,
        api=ApiSettings(keys=keys, batch_max_rows=2 * FLOOD),
        model=publisher_model(tmp_path / "models"),
        calibration=CalibrationSettings(cache_ttl_seconds=0),
        outcomes=UNBOUNDED,
    )
    guarded = honest.model_copy(update={"outcomes": OutcomeSettings()})
    version = training_on(honest, engine).train(True)
    holdout_days = sorted({row["date"] for row in holdout})
    days = replayed_days(holdout_days)
    max_age = honest.socio_eco.max_age_days
    next_day = next(day for day in holdout_days if day > days[-1] and months.servable(day, max_age))
    app, guarded_app = create_app(web_worker(honest)), create_app(web_worker(guarded))
    try:
        replay(keyed_client(app, TEST_KEY), honest, engine, version, holdout, days, months)
        contacts = [row for row in holdout if row["date"] == next_day]
        refused_before = refused_rows("intruder", "unknown-contacts")
        result = poison(
            keyed_client(guarded_app, TEST_KEY),
            keyed_client(guarded_app, INTRUDER),
            lambda: calibration_of(guarded, engine).run([next_day], lambda stage: None),
            [request(row) for row in contacts],
            next_day - timedelta(days=1),
            features(contacts[0]),
        )
    finally:
        for served in (app, guarded_app):
            served.extensions["chaos"].service.stores.engine.dispose()
    few, flood = result.answers
    assert (few.status_code, flood.status_code) == (422, 422), (few.json, flood.json)
    assert few.json["type"] == flood.json["type"] == "urn:chaos:problem:unknown-contacts"
    assert refused_rows("intruder", "unknown-contacts") - refused_before == FEW + FLOOD
    print(
        f"\n{len(days)} holdout days replayed; {next_day}: {len(contacts)} contacts, mean served probability "
        f"{result.before:.6f} before the poisoning reporter, {result.after:.6f} after"
    )
    assert result.moved <= BOUND
