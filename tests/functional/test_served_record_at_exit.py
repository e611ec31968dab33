"""Under real gunicorn, a worker that stops (SIGTERM, as Kubernetes stops a pod) writes the served
scores it still has queued: with a flush period longer than the test, only the exit can write them."""

import sqlalchemy as sa

from chaos.entrypoints.web.appetence_schema import EXAMPLE_REQUEST
from chaos.infrastructure.db.tables import served_score
from tests.support.served import configuration, gunicorn_server, seed


def test_a_stopping_worker_writes_its_queued_records(
    tmp_path, database_settings, trained_models, migrated_engine
):
    seed(database_settings)
    with migrated_engine.begin() as connection:
        connection.execute(sa.delete(served_score))
    settings = configuration(database_settings, trained_models[0])
    settings["served"] = {"flush_seconds": 60, "batch_rows": 1000}
    server = gunicorn_server(tmp_path, settings, workers=2).start()
    try:
        answers = {}
        for contact_id in range(6):
            response = server.post("/appetence", json={**EXAMPLE_REQUEST, "id": contact_id})
            assert response.status_code == 200, response.text
            answers[contact_id] = response.json()["appetence"]
        with migrated_engine.connect() as connection:
            assert connection.scalar(sa.select(sa.func.count()).select_from(served_score)) == 0
    finally:
        server.stop()
    with migrated_engine.connect() as connection:
        kept = dict(
            connection.execute(sa.select(served_score.c.contact_id, served_score.c.probability)).all()
        )
    assert kept == answers
