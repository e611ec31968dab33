"""The API over HTTP from real gunicorn, with a model trained on demo data, against the session PostgreSQL."""

import json
import shutil

import pytest
import requests
import sqlalchemy as sa

from chaos.entrypoints.web.appetence_schema import EXAMPLE_REQUEST
from chaos.infrastructure.db.tables import socio_eco
from harness.logs import logged_lines
from tests.artifacts import resign
from tests.support.served import configuration, gunicorn_server, seed


@pytest.fixture(scope="module")
def server(tmp_path_factory, database_settings, trained_models):
    """One server for the tests that leave it as they found it, on freshly seeded tables."""
    seed(database_settings)
    server = gunicorn_server(
        tmp_path_factory.mktemp("server"), configuration(database_settings, trained_models[0])
    )
    try:
        yield server.start()
    finally:
        server.stop()


def post(server, body):
    return server.post("/appetence", json=body)


def test_the_readme_example_is_scored(server, trained_models):
    response = post(server, EXAMPLE_REQUEST)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert 0 <= answer["appetence"] <= 1
    assert answer["model_version"] == trained_models[1]
    assert answer["socio_eco_date"]


def test_probes_answer(server, trained_models):
    assert server.get("/health").json() == {"status": "alive"}
    ready = server.get("/ready")
    assert ready.status_code == 200
    assert ready.json()["model_version"] == trained_models[1]


def test_an_update_of_socio_eco_changes_the_answer(server, migrated_engine):
    first = post(server, EXAMPLE_REQUEST).json()
    month = sa.func.to_date(first["socio_eco_date"], "YYYY-MM-DD")
    with migrated_engine.begin() as connection:
        before = connection.execute(sa.select(socio_eco).where(socio_eco.c.date == month)).one()
        connection.execute(
            sa.update(socio_eco).where(socio_eco.c.date == month).values(employment_variation_rate=-3.4)
        )
    try:
        assert post(server, EXAMPLE_REQUEST).json()["appetence"] != first["appetence"]
    finally:
        with migrated_engine.begin() as connection:
            connection.execute(
                sa.update(socio_eco).where(socio_eco.c.date == month).values(**before._mapping)
            )


@pytest.mark.parametrize(
    "data, content_type, status",
    [
        ("{not json", "application/json", 400),
        (json.dumps({**EXAMPLE_REQUEST, "job_type": "Astronaute"}), "application/json", 422),
        (json.dumps(EXAMPLE_REQUEST), "text/csv", 415),
        ("[" + "1," * 100_000 + "1]", "application/json", 413),
    ],
)
def test_bad_requests_get_problems_over_http(server, data, content_type, status):
    response = server.post("/appetence", data=data.encode(), headers={"Content-Type": content_type})
    assert response.status_code == status
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == status


def test_access_lines_are_json_on_stdout(server):
    server.get("/health?probe=secret&model=v1", headers={"X-Request-ID": "access-log"})
    (line,) = [json.loads(line) for line in logged_lines(server, "access-log")]
    expected = {
        "name": "gunicorn.access",
        "method": "GET",
        "path": "/health",
        "query": "probe=[redacted]&model=v1",  # only the API's own parameters are written
        "status": 200,
    }
    assert expected.items() <= line.items()


def damage_metadata(directory, version):
    """As if trained with another scikit-learn (a corrupt file takes the same path: the store's tests)."""
    path = directory / version / "metadata.json"
    metadata = json.loads(path.read_text())
    metadata["library_versions"]["scikit-learn"] = "0.1"
    path.write_text(json.dumps(metadata))
    resign(directory, version, "metadata.json")  # signed anew: the check after the signature's


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda directory, version: shutil.rmtree(directory), "no champion model in"),
        (damage_metadata, "incompatible"),
    ],
    ids=["missing", "incompatible"],
)
def test_an_unusable_model_stops_the_start(
    start_server, database_settings, trained_models, tmp_path, damage, message
):
    models, version = trained_models
    copy = shutil.copytree(models, tmp_path / "models")
    damage(copy, version)
    server = start_server(configuration(database_settings, copy))
    assert server.process.wait(timeout=60) != 0
    assert "chaos cannot start" in server.output() and message in server.output()
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{server.url}/health", timeout=1)
