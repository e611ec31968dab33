"""The bank's export posted unchanged to the batch API: the header and the last 499 contacts of
data.csv (Latin-1, `;`, French headers) are all scored, with indicators dated before each contact,
each under its index as contact id and recorded as served; and posted unchanged as outcome reports,
all recorded."""

from datetime import date

import pytest
import sqlalchemy as sa

from chaos.bootstrap import web_worker
from chaos.domain.features import CATEGORICAL
from chaos.entrypoints.web.app_factory import create_app
from chaos.infrastructure.api_keys import key_hash
from chaos.infrastructure.config.settings import ApiSettings
from chaos.infrastructure.db.tables import marketing, served_score
from chaos.infrastructure.importing import MARKETING, SOCIO_ECO, import_csv
from tests.fakes import FakeScoringModel
from tests.support.database import settings_on
from tests.support.reporting import UNBOUNDED
from tests.web_clients import TEST_KEY, keyed_client


def labels(connection: sa.Connection, name: str) -> list[str]:
    column = marketing.c[name]
    return sorted(connection.scalars(sa.select(column).distinct().where(column.is_not(None))))


@pytest.fixture
def client(engine, database_settings, shared_data, tmp_path):
    options = {"max_reject_ratio": 0.05, "rejects_dir": tmp_path}
    import_csv(engine, shared_data / "socio_eco.csv", SOCIO_ECO, **options)
    import_csv(engine, shared_data / "data.csv", MARKETING, **options)
    with engine.connect() as connection:  # the labels a model trained on this export knows
        vocabulary = {name: labels(connection, name) for name in CATEGORICAL}
    worker = web_worker(settings_on(database_settings), model=FakeScoringModel(vocabulary=vocabulary))
    app = create_app(worker)
    yield keyed_client(app, TEST_KEY), worker
    app.extensions["chaos"].service.stores.engine.dispose()


def test_the_last_499_contacts_posted_unchanged_are_all_scored(client, shared_data, engine):
    client, worker = client
    lines = (shared_data / "data.csv").read_bytes().splitlines(keepends=True)
    body = b"".join([lines[0], *lines[-499:]])
    response = client.post("/appetence/batch", data=body, content_type="text/csv")
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    assert response.json["count"] == 499
    assert response.headers["X-Ignored-Columns"] == "duree_contact, statut"
    used = {date.fromisoformat(row["socio_eco_date"]) for row in response.json["results"]}
    assert max(used) < date(2010, 10, 31)  # the October row is only usable from November on
    indexes = [int(line.split(b";")[0]) for line in lines[-499:]]
    assert [row["id"] for row in response.json["results"]] == indexes  # the export's index is the id
    worker.served.close()
    with engine.connect() as connection:
        kept = dict(
            connection.execute(sa.select(served_score.c.contact_id, served_score.c.probability)).all()
        )
    assert kept == {row["id"]: row["appetence"] for row in response.json["results"]}


def test_the_same_contacts_posted_as_outcome_reports_are_recorded_and_reconciled(
    engine, database_settings, shared_data, tmp_path
):
    """The export's last 499 contacts reported as they are (index = contact id, `statut`): every
    status is recorded, they agree with the imported export, and the call log is unchanged."""
    import_csv(engine, shared_data / "data.csv", MARKETING, max_reject_ratio=0.05, rejects_dir=tmp_path)
    with engine.connect() as connection:
        vocabulary = {name: labels(connection, name) for name in CATEGORICAL}
        log_before = connection.scalar(sa.text("SELECT count(*) FROM contact_outcome"))
    keys = [{"hash": key_hash(TEST_KEY), "scopes": ["report_outcomes"]}]
    settings = settings_on(database_settings, api=ApiSettings(keys=keys), outcomes=UNBOUNDED)
    app = create_app(web_worker(settings, model=FakeScoringModel(vocabulary=vocabulary)))
    lines = (shared_data / "data.csv").read_bytes().splitlines(keepends=True)
    try:
        response = keyed_client(app, TEST_KEY).post(
            "/outcomes", data=b"".join([lines[0], *lines[-499:]]), content_type="text/csv"
        )
    finally:
        app.extensions["chaos"].service.stores.engine.dispose()
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    assert (response.json["count"], response.json["new"]) == (499, 499)
    assert response.headers["X-Ignored-Columns"] == "duree_contact"
    with engine.connect() as connection:
        disagreeing = connection.scalar(
            sa.text(
                "SELECT count(*) FROM reported_outcome r JOIN marketing m USING (id) "
                "WHERE r.outcome IS DISTINCT FROM m.outcome"
            )
        )
        resolved = connection.scalar(
            sa.text("SELECT count(*) FROM reported_outcome WHERE outcome <> 'En Attente'")
        )
        log_after = connection.scalar(sa.text("SELECT count(*) FROM contact_outcome"))
    assert disagreeing == 0
    assert resolved > 400
    assert log_after == log_before  # each resolved report stands for its export row, one for one
