"""The API served as the documented serving role (docs/database-role.md) records reported outcomes,
and that role can write nothing else, nor read the call log; the jobs' role calibrates and measures
from those outcomes, and the pods serve what it stored."""

import math
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from chaos.application.daily_calibration import calibrate_models
from chaos.application.monitoring import Sources, measure
from chaos.application.stored_calibrations import StoredCalibrations
from chaos.application.stores import GivenStores
from chaos.bootstrap import web_worker
from chaos.domain.calibration import DEFAULT_POLICY
from chaos.entrypoints.web.app_factory import create_app
from chaos.entrypoints.web.appetence_schema import EXAMPLE_REQUEST
from chaos.infrastructure.api_keys import key_hash
from chaos.infrastructure.config.settings import ApiSettings, CalibrationSettings
from chaos.infrastructure.db.calibration_store import SqlCalibrationStore
from chaos.infrastructure.db.contact_log import SqlContactLog
from chaos.infrastructure.db.embedded import SUPERUSER
from chaos.infrastructure.db.engine import create_engine
from chaos.infrastructure.db.performance_log import SqlPerformanceLog
from chaos.infrastructure.db.socio_eco_repository import SqlSocioEcoRepository
from chaos.infrastructure.db.tables import served_score
from tests.fakes import FakeScoringModel
from tests.support.database import settings_on
from tests.support.reporting import UNBOUNDED, served
from tests.web_clients import TEST_KEY, keyed_client

ROLE_DOC = Path(__file__).resolve().parents[2] / "docs" / "database-role.md"
SERVING_ROLE = "chaos_reader"
JOBS_ROLE = "chaos_calibrator"


@pytest.fixture(scope="module")
def serving_role(migrated_engine, database_settings):
    """The documented role, created by running the documentation's SQL block once on this server."""
    (block,) = re.findall(r"```sql\n(.*?)```", ROLE_DOC.read_text(), flags=re.DOTALL)
    administrator = (
        database_settings.model_copy(update={"user": SUPERUSER})
        if database_settings.embedded
        else database_settings
    )
    engine = create_engine(administrator)
    with engine.begin() as connection:
        exists = connection.scalar(
            sa.text("SELECT count(*) FROM pg_roles WHERE rolname = :name"), {"name": SERVING_ROLE}
        )
        if not exists:
            connection.exec_driver_sql(
                block.replace("DATABASE chaos", f'DATABASE "{database_settings.name}"')
            )
    engine.dispose()
    return database_settings.model_copy(update={"user": SERVING_ROLE, "password": ""})


@pytest.fixture
def as_jobs_role(engine, serving_role):
    """The jobs' role, created by the same block."""
    role_engine = sa.create_engine(
        serving_role.model_copy(update={"user": JOBS_ROLE}).url(), poolclass=sa.pool.NullPool
    )
    yield role_engine
    role_engine.dispose()


@pytest.fixture
def as_serving_role(engine, serving_role):
    role_engine = sa.create_engine(serving_role.url(), poolclass=sa.pool.NullPool)
    yield role_engine
    role_engine.dispose()


def test_the_api_served_as_the_role_records_outcomes(engine, serving_role):
    keys = [{"hash": key_hash(TEST_KEY), "scopes": ["report_outcomes"], "id": "tool"}]
    app = create_app(
        web_worker(settings_on(serving_role, api=ApiSettings(keys=keys)), model=FakeScoringModel())
    )
    database = app.extensions["chaos"].service.stores
    with engine.begin() as connection:  # contact 3 was scored with its id; 4 never was
        connection.execute(sa.insert(served_score), [served(3)])
    try:
        invented = {"outcomes": [{"id": 4, "outcome": "Souscrit", "date": "2026-11-30", **EXAMPLE_REQUEST}]}
        refused = keyed_client(app, TEST_KEY).post("/outcomes", json=invented)
        assert refused.status_code == 422 and refused.json["type"].endswith("unknown-contacts")
        body = {"outcomes": [{"id": 3, "outcome": "Refus", "date": "2026-11-30", **EXAMPLE_REQUEST}]}
        response = keyed_client(app, TEST_KEY).post("/outcomes", json=body)
        assert response.status_code == 200, response.json
        with engine.connect() as connection:
            written = connection.execute(sa.text("SELECT id, key_id FROM reported_outcome")).all()
        assert [tuple(row) for row in written] == [(3, "tool")]
        status_alone = {"outcomes": [{"id": 3, "outcome": "Refus"}]}
        assert keyed_client(app, TEST_KEY).post("/outcomes", json=status_alone).json["unchanged"] == 1
        with database.engine.connect() as connection:
            assert connection.scalar(sa.text("SELECT current_user")) == SERVING_ROLE
    finally:
        database.engine.dispose()
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT id, outcome FROM reported_outcome")).all() == [(3, "Refus")]


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO marketing (id, date, subscription) VALUES (1, '2008-05-05', true)",
        "UPDATE socio_eco SET employment_variation_rate = 0",
        "DELETE FROM reported_outcome",
        "TRUNCATE reported_outcome",
        "SELECT date FROM marketing",
        "SELECT date FROM contact_outcome",
        "UPDATE calibration SET shift = 0",
        "DELETE FROM model_performance",
        "SELECT probability FROM served_score",
        "UPDATE served_score SET probability = 0",
        "DELETE FROM served_score",
        "INSERT INTO import_history (table_name, kind, mode, rows_new, rows_changed, rows_unchanged, "
        "rows_removed, rows_rejected, chaos_version) VALUES ('x', 'import', 'append', 0, 0, 0, 0, 0, 'x')",
        "CREATE TABLE intruder (id int)",
    ],
)
def test_the_role_may_write_the_outcome_table_only(as_serving_role, statement):
    with as_serving_role.connect() as connection:
        connection.execute(sa.text("SELECT count(*) FROM calibration"))
        connection.execute(sa.text("SELECT count(*) FROM model_performance"))
        connection.execute(sa.text("SELECT count(*) FROM reported_outcome"))
        with pytest.raises(sa.exc.ProgrammingError, match="permission denied"):
            connection.execute(sa.text(statement))


@pytest.mark.parametrize(
    "statement",
    [
        "SELECT date FROM marketing",
        "SELECT outcome FROM reported_outcome",
        "INSERT INTO reported_outcome (id, date, outcome) VALUES (1, '2008-05-05', 'Refus')",
        "UPDATE socio_eco SET employment_variation_rate = 0",
        "DELETE FROM calibration",
        "CREATE TABLE intruder (id int)",
    ],
)
def test_the_jobs_role_reads_the_call_log_through_the_view_only(as_jobs_role, statement):
    with as_jobs_role.connect() as connection:
        connection.execute(sa.text("SELECT count(subscription) FROM contact_outcome"))
        with pytest.raises(sa.exc.ProgrammingError, match="permission denied"):
            connection.execute(sa.text(statement))


def test_outcomes_reported_for_a_day_calibrate_the_next_days_scores(engine, serving_role, as_jobs_role):
    """Forty calls of yesterday reported, half of them subscriptions, for a model that says 0.25:
    the jobs' role calibrates today on exactly those outcomes and measures yesterday's, and the app
    served as the serving role answers with the stored calibration."""
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO socio_eco VALUES "
                "(date_trunc('month', now())::date - 1, 1.1, 93.9, -36.4, false), "
                "((date_trunc('month', now()) - interval '1 month')::date - 1, 1.1, 93.9, -36.4, false)"
            )
        )
    keys = [{"hash": key_hash(TEST_KEY), "scopes": ["score", "report_outcomes"]}]
    calibration = CalibrationSettings(cache_ttl_seconds=0)  # read the stored row at every request
    settings = settings_on(
        serving_role, api=ApiSettings(keys=keys), calibration=calibration, outcomes=UNBOUNDED
    )
    model = FakeScoringModel()
    app = create_app(web_worker(settings, model=model))
    client = keyed_client(app, TEST_KEY)
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    try:
        before = client.post("/appetence", json=EXAMPLE_REQUEST).json["calibration"]
        rows = [
            {
                "id": 100 + i,
                "outcome": "Souscrit" if i < 20 else "Refus",
                "date": yesterday,
                **EXAMPLE_REQUEST,
            }
            for i in range(40)
        ]
        assert client.post("/outcomes", json={"outcomes": rows}).json["new"] == 40
        run_jobs(as_jobs_role, model)
        answer = client.post("/appetence", json=EXAMPLE_REQUEST).json
        after = answer["calibration"]
    finally:
        app.extensions["chaos"].service.stores.engine.dispose()
    assert (before["contacts"], before["window_days"]) == (0, None)
    assert (after["contacts"], after["window_days"], after["observed_rate"]) == (40, 7, 0.5)
    assert after["shift"] == pytest.approx(math.log(3), abs=1e-9)  # logit(0.5) - logit(0.25)
    assert answer["appetence"] == pytest.approx(0.5, abs=1e-9)
    with engine.connect() as connection:
        measured = connection.execute(sa.text("SELECT day, contacts FROM model_performance")).all()
    assert measured == [(date.today() - timedelta(days=1), 40)]


def run_jobs(jobs_engine: sa.Engine, model: FakeScoringModel) -> None:
    """What `chaos calibrate` then `chaos monitor` do, through the jobs' role."""
    log, indicators, store = (
        SqlContactLog(jobs_engine),
        SqlSocioEcoRepository(jobs_engine),
        SqlCalibrationStore(jobs_engine),
    )
    today = date.today()
    (calibrations,) = calibrate_models([model], [today], log, indicators, DEFAULT_POLICY).values()
    store.save(model.version, DEFAULT_POLICY, calibrations)
    stored = StoredCalibrations(GivenStores(indicators, calibrations=store), ttl_seconds=0)
    measures = measure(
        model,
        Sources(log, indicators, stored),
        days=7,
        today=today,
        max_age_days=None,
    )
    SqlPerformanceLog(jobs_engine).record(measures)


def test_the_api_served_as_the_role_appends_to_the_served_record(engine, serving_role):
    with engine.begin() as connection:
        connection.execute(
            sa.text("INSERT INTO socio_eco VALUES ('2008-05-31', 1.1, 93.9, -36.4)"),
        )
    keys = [{"hash": key_hash(TEST_KEY), "scopes": ["score"], "id": "scorer"}]
    worker = web_worker(settings_on(serving_role, api=ApiSettings(keys=keys)), model=FakeScoringModel())
    app = create_app(worker)
    try:
        answer = keyed_client(app, TEST_KEY).post(
            "/appetence", json={**EXAMPLE_REQUEST, "date": "2008-06-15", "id": 5}
        )
        assert answer.status_code == 200, answer.json
        assert worker.served is not None
        worker.served.close()
    finally:
        app.extensions["chaos"].service.stores.engine.dispose()
    with engine.connect() as connection:
        kept = connection.execute(sa.text("SELECT contact_id, probability, key_id FROM served_score")).all()
    assert kept == [(5, answer.json["appetence"], "scorer")]
