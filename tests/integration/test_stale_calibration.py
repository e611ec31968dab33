"""When outcomes stop arriving, the daily calibration job keeps storing, and serving keeps answering,
the last fresh calibration unchanged: a fixed customer's score stands still once it is stale, on a
real PostgreSQL, day after day as the CronJob and the API run."""

from datetime import date, timedelta

import sqlalchemy as sa

from chaos.application.daily_calibration import default_days
from chaos.bootstrap import calibration_of, training_on, web_worker
from chaos.entrypoints.web.app_factory import create_app
from chaos.entrypoints.web.appetence_schema import EXAMPLE_REQUEST
from chaos.infrastructure.config.settings import CalibrationSettings, SocioEcoSettings
from chaos.infrastructure.db.tables import marketing, socio_eco
from chaos.infrastructure.demo.seeding import seed_demo
from tests.support.database import publisher_model, settings_on
from tests.web_clients import TEST_KEY, keyed_client

TODAY = date(2026, 9, 30)
STOPPED = date(2025, 4, 30)
"""The end of a busy month of the demo seeded up to TODAY: enough outcomes for a fresh level and slope."""
SILENT_DAYS = 60
MAX_AGE_DAYS = 14


def test_sixty_days_without_outcomes_leave_a_stale_score_where_it_was(engine, database_settings, tmp_path):
    seed_demo(engine, rows=6_000, seed=3, today=TODAY)
    models = publisher_model(tmp_path / "models")
    settings = settings_on(
        database_settings,
        model=models,
        socio_eco=SocioEcoSettings(cache_ttl_seconds=0),
        calibration=CalibrationSettings(max_age_days=MAX_AGE_DAYS, cache_ttl_seconds=0),
    )
    training_on(settings, engine).train(True)
    # The truth stops after STOPPED, and so do the indicators (the month they give a customer
    # would move the score as well); the job runs on every day of the silence.
    with engine.begin() as connection:
        connection.execute(sa.delete(marketing).where(marketing.c.date > STOPPED))
        connection.execute(sa.delete(socio_eco).where(socio_eco.c.date > STOPPED))
        newest = connection.scalar(sa.select(sa.func.max(marketing.c.date)))
    days = [STOPPED + timedelta(days=offset) for offset in range(1, SILENT_DAYS + 1)]
    job = calibration_of(settings, engine)
    for day in days:
        job.run(default_days(day), lambda stage: None)

    app = create_app(web_worker(settings))
    try:
        client = keyed_client(app, TEST_KEY)
        answers = [client.post("/appetence", json={**EXAMPLE_REQUEST, "date": str(day)}) for day in days]
    finally:
        app.extensions["chaos"].service.stores.engine.dispose()
    assert all(answer.status_code == 200 for answer in answers), [
        a.json for a in answers if a.status_code != 200
    ]
    served = {day: answer.json for day, answer in zip(days, answers, strict=True)}

    fresh = [day for day in days if not served[day]["calibration"]["stale"]]
    stale = [day for day in days if served[day]["calibration"]["stale"]]
    assert fresh and stale and max(fresh) < min(stale), "fresh days first, then stale ones only"
    assert min(stale) == newest + timedelta(days=MAX_AGE_DAYS + 1)
    last_fresh = served[max(fresh)]
    for day in stale:
        answer = served[day]
        assert answer["appetence"] == last_fresh["appetence"], day
        assert answer["calibration"]["outcomes_age_days"] == (day - newest).days
        unchanged = {
            key: value
            for key, value in answer["calibration"].items()
            if key not in ("stale", "outcomes_age_days")
        }
        assert unchanged == {
            key: value
            for key, value in last_fresh["calibration"].items()
            if key not in ("stale", "outcomes_age_days")
        }, day
    # The window served says what it really held: it ended before the silence began to show.
    assert date.fromisoformat(last_fresh["calibration"]["until"]) < min(stale)
    assert last_fresh["calibration"]["newest_outcome"] == str(newest)
