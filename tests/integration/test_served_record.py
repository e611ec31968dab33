"""The served record on a real PostgreSQL, through the HTTP API: every answer given with a contact id
is found recorded with the exact appetence answered and the key's id; a database that cannot take the
record fails no score and the drop is counted; `chaos served show` prints what was served and
`chaos served purge` keeps the retention."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from chaos.bootstrap import web_worker
from chaos.domain.served_record import ServedScore
from chaos.entrypoints.cli.main import main
from chaos.entrypoints.web.app_factory import create_app
from chaos.entrypoints.web.appetence_schema import EXAMPLE_REQUEST
from chaos.infrastructure.api_keys import default_key_id, key_hash
from chaos.infrastructure.config.settings import ApiSettings, ScopedKey
from chaos.infrastructure.db.engine import create_engine
from chaos.infrastructure.db.served_record import SqlServedRecord
from chaos.infrastructure.db.tables import served_score, socio_eco
from harness.network import free_port
from tests.fakes import FakeScoringModel
from tests.support.database import configuration_on, settings_on
from tests.web_clients import TEST_KEY, keyed_client, samples

MARKETING_KEY = "chaos-marketing-key"  # pragma: allowlist secret


def by_age(features):
    return 0.05 + (features["age"] or 40) / 1000


@pytest.fixture
def indicators(engine):
    with engine.begin() as connection:
        connection.execute(
            sa.insert(socio_eco),
            [
                {
                    "date": date(2008, 5, 31),
                    "employment_variation_rate": 1.1,
                    "idx_consumer_price": 93.9,
                    "idx_consumer_confidence": -36.4,
                }
            ],
        )
    return engine


@pytest.fixture
def served_app(indicators, database_settings):
    """The app as gunicorn builds it (its own engine, the SQL served record), with two keys: the
    test key (no id configured) and a marketing key named `marketing`."""
    api = ApiSettings(
        keys=[
            key_hash(TEST_KEY),
            ScopedKey(hash=key_hash(MARKETING_KEY), scopes=["score"], id="marketing"),
        ]
    )
    worker = web_worker(settings_on(database_settings).model_copy(update={"api": api}), model=model())
    app = create_app(worker)
    yield app, worker
    if worker.served is not None:
        worker.served.close()
    app.extensions["chaos"].service.stores.engine.dispose()


def model():
    return FakeScoringModel(scorer=by_age)


def recorded(engine) -> list[dict]:
    with engine.connect() as connection:
        rows = connection.execute(sa.select(served_score).order_by(served_score.c.id)).mappings().all()
    return [dict(row) for row in rows]


def test_every_answer_with_an_id_is_recorded_with_the_exact_appetence(served_app, indicators):
    app, worker = served_app
    client = keyed_client(app, TEST_KEY)
    marketing = keyed_client(app, MARKETING_KEY)
    one = client.post("/appetence", json={**EXAMPLE_REQUEST, "date": "2008-06-15", "id": 41_188})
    anonymous = client.post("/appetence", json={**EXAMPLE_REQUEST, "date": "2008-06-16"})
    rows = [{**EXAMPLE_REQUEST, "date": "2008-06-17", "age": 20 + n, "id": 500 + n} for n in range(3)]
    rows.append({**EXAMPLE_REQUEST, "date": "2008-06-18"})  # a row without an id is not recorded
    batch = marketing.post("/appetence/batch", json={"customers": rows})
    csv_body = "\n".join(
        [";date;age;balance;defaut;pret_immo;nb_contact;nb_j_dernier_contact;nb_contact_derniere_campagne"]
        + [f"{900 + n};2008-06-19;{30 + n};100;No;Yes;1;-1;0" for n in range(2)]
    )
    exported = marketing.post("/appetence/batch", data=csv_body.encode(), content_type="text/csv")
    for response in (one, anonymous, batch, exported):
        assert response.status_code == 200, response.get_data(as_text=True)
    assert one.json["id"] == 41_188 and "id" not in anonymous.json
    assert [row["id"] for row in batch.json["results"]] == [500, 501, 502, None]
    assert [row["id"] for row in exported.json["results"]] == [900, 901]
    worker.served.close()  # what a worker does when it exits: the queue written

    answered = {41_188: (one.json, default_key_id(key_hash(TEST_KEY)), date(2008, 6, 15))}
    for row, result in zip(rows[:3], batch.json["results"][:3], strict=True):
        answered[row["id"]] = (result, "marketing", date(2008, 6, 17))
    for result in exported.json["results"]:
        answered[result["id"]] = (result, "marketing", date(2008, 6, 19))
    kept = recorded(indicators)
    assert sorted(row["contact_id"] for row in kept) == sorted(answered)
    for row in kept:
        answer, key_id, day = answered[row["contact_id"]]
        assert row["probability"] == answer["appetence"]  # exactly, not approximately
        assert (row["key_id"], row["contact_date"], row["model_version"]) == (key_id, day, "fake-1")
        calibration = answer["calibration"]
        assert (row["calibration_shift"], row["calibration_slope"], row["calibration_offset"]) == (
            calibration["shift"],
            calibration["slope"],
            calibration["offset"],
        )
        assert row["calibration_stale"] is calibration["stale"]
        assert row["served_at"] > datetime.now(UTC) - timedelta(minutes=5)
    assert TEST_KEY not in str(kept) and MARKETING_KEY not in str(kept)


def test_a_database_that_cannot_take_the_record_fails_no_score_and_counts_the_drop(
    indicators, database_settings
):
    down = database_settings.model_copy(update={"host": "127.0.0.1", "port": free_port(), "embedded": False})
    unreachable = create_engine(down)
    worker = web_worker(settings_on(database_settings), model=model(), served=SqlServedRecord(unreachable))
    app = create_app(worker)
    client = keyed_client(app, TEST_KEY)
    before = samples(client).get(
        ("chaos_served_records_dropped_total", (("reason", "database_unavailable"),)), 0
    )
    try:
        response = client.post("/appetence", json={**EXAMPLE_REQUEST, "date": "2008-06-15", "id": 7})
        assert response.status_code == 200, response.get_data(as_text=True)
        worker.served.close()
    finally:
        unreachable.dispose()
        app.extensions["chaos"].service.stores.engine.dispose()
    after = samples(client)[("chaos_served_records_dropped_total", (("reason", "database_unavailable"),))]
    assert after == before + 1
    assert recorded(indicators) == []


@pytest.fixture
def chaos(engine, database_settings, tmp_path, monkeypatch, capsys):
    config = tmp_path / "config.yml"
    config.write_text(configuration_on(database_settings, api={"keys": [key_hash(TEST_KEY)]}))
    monkeypatch.setenv("CHAOS_CONFIGURATION_PATH", str(config))

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["served", *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_the_audit_command_prints_what_was_served_for_a_contact(served_app, indicators, chaos):
    app, worker = served_app
    client = keyed_client(app, MARKETING_KEY)
    first = client.post("/appetence", json={**EXAMPLE_REQUEST, "date": "2008-06-15", "id": 12})
    second = client.post("/appetence", json={**EXAMPLE_REQUEST, "date": "2008-06-20", "age": 70, "id": 12})
    client.post("/appetence", json={**EXAMPLE_REQUEST, "date": "2008-06-20", "id": 13})
    worker.served.close()

    code, out, _ = chaos("show", "12")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "2 score(s) served for contact 12:"
    assert "date 2008-06-15" in lines[1] and f"appetence {first.json['appetence']!r}" in lines[1]
    assert "date 2008-06-20" in lines[2] and f"appetence {second.json['appetence']!r}" in lines[2]
    assert all("model fake-1" in line and "key marketing" in line for line in lines[1:])

    code, out, _ = chaos("show", "12", "--date", "2008-06-20")
    assert out.splitlines()[0] == "1 score(s) served for contact 12 on 2008-06-20:"
    code, out, _ = chaos("show", "99")
    assert (code, out) == (0, "nothing served for contact 99\n")


def test_the_purge_removes_only_records_older_than_the_retention(indicators, chaos):
    record = SqlServedRecord(indicators)
    old, recent = datetime.now(UTC) - timedelta(days=401), datetime.now(UTC) - timedelta(days=399)
    with indicators.begin() as connection:
        connection.execute(
            sa.insert(served_score),
            [
                {
                    "contact_id": contact_id,
                    "contact_date": date(2008, 6, 15),
                    "model_version": "fake-1",
                    "calibration_shift": 0.0,
                    "calibration_slope": 1.0,
                    "calibration_offset": 0.0,
                    "calibration_stale": True,
                    "log_odds": -1.0,
                    "probability": 0.2689,
                    "served_at": served_at,
                }
                for contact_id, served_at in ((1, old), (2, recent))
            ],
        )
    code, out, _ = chaos("purge")
    assert (code, out) == (0, "1 served record(s) older than 400 days removed\n")
    assert [score.contact_id for score in (*record.of_contact(1), *record.of_contact(2))] == [2]


def test_a_record_reads_back_exactly_as_appended_whatever_its_values(indicators):
    """COPY's text form: text with its escapes, unknown values, both flags, extreme doubles, an
    instant in another offset, the largest contact id."""
    record = SqlServedRecord(indicators)
    paris = timezone(timedelta(hours=1))
    scores = [
        ServedScore(
            contact_id=2**63 - 1,
            contact_date=date(2008, 6, 15),
            model_version="v1\tback\\slash\nline\rend é",
            calibration_until=None,
            calibration_window_days=None,
            calibration_shift=-0.0,
            calibration_slope=1e-300,
            calibration_offset=0.1 + 0.2,
            calibration_stale=True,
            log_odds=-1.7976931348623157e308,
            probability=5e-324,
            key_id=None,
            served_at=datetime(2026, 12, 7, 18, 30, 1, 123456, tzinfo=paris),
        ),
        ServedScore(
            contact_id=0,
            contact_date=date(1900, 1, 1),
            model_version="\\N",
            calibration_until=date(2008, 6, 14),
            calibration_window_days=30,
            calibration_shift=0.25,
            calibration_slope=1.0,
            calibration_offset=-2.5,
            calibration_stale=False,
            log_odds=3.0,
            probability=0.9999999999999999,
            key_id="marketing",
            served_at=datetime(2026, 12, 7, 17, 30, 1, tzinfo=UTC),
        ),
    ]
    record.append(scores)
    assert [*record.of_contact(2**63 - 1), *record.of_contact(0)] == scores
