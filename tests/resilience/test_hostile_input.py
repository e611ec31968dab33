"""Hostile input against real gunicorn, served as the serving role `chaos_reader` (docs/database-role.md):
every body gets a 4xx problem+json, and the database is left exactly as it was."""

import http.client
import json

import pytest
import requests
import sqlalchemy as sa

from chaos.entrypoints.web.appetence_schema import EXAMPLE_REQUEST
from tests.support.resilience import API_KEY, AUTHORIZATION, SERVING_ROLE


def body(**changes) -> bytes:
    return json.dumps({**EXAMPLE_REQUEST, **changes}, ensure_ascii=False).encode()


def raw(text: str) -> bytes:
    """EXAMPLE_REQUEST with its balance replaced by `text`, verbatim (for what json.dumps cannot write)."""
    return body(balance=0).replace(b'"balance": 0', b'"balance": ' + text.encode())


JSON = "application/json"
DEPTH = 10_000  # within the body size limit


def case(name: str, content_type: str | None, payload: bytes, status: int):
    return pytest.param(content_type, payload, status, id=name)


CASES = [
    case("deeply nested arrays", JSON, b"[" * DEPTH + b"]" * DEPTH, 400),
    case("deeply nested objects", JSON, b'{"a":' * DEPTH + b"1" + b"}" * DEPTH, 400),
    case("huge label", JSON, body(job_type="x" * 60_000), 422),
    case("huge number", JSON, raw("1" * 5_000), 400),
    case("plain text", "text/plain", body(), 415),
    case("form", "application/x-www-form-urlencoded", b"age=41&balance=1", 415),
    case("multipart", "multipart/form-data; boundary=x", b"--x\r\n\r\n41\r\n--x--", 415),
    case("xml", "application/xml", b"<customer><age>41</age></customer>", 415),
    case("no content type", None, body(), 415),
    case(
        "invalid UTF-8", JSON, body(job_type="Technicien").replace(b"Technicien", b"Techn\xff\xfeicien"), 400
    ),
    case(
        "Latin-1 declared as UTF-8",
        JSON,
        body(status="Marié").replace("é".encode(), "é".encode("latin-1")),
        400,
    ),
    case("NaN", JSON, raw("NaN"), 422),
    case("Infinity", JSON, raw("Infinity"), 422),
    case("-Infinity", JSON, raw("-Infinity"), 422),
    case("float overflow", JSON, raw("1e999"), 422),
    case("not JSON", JSON, b"{'age': 41,", 400),
    case("JSON array", JSON, b"[1, 2, 3]", 422),
    case("JSON null", JSON, b"null", 422),
    case("empty body", JSON, b"", 400),
    case("SQL in a label", JSON, body(job_type="Technicien'; DROP TABLE socio_eco; --"), 422),
    case("SQL in a date", JSON, body(date="2008-06-15'; DELETE FROM socio_eco; --"), 422),
    case("SQL tautology in a date", JSON, body(date="2008-06-15' OR '1'='1"), 422),
    case("SQL in a flag", JSON, body(has_default="no' OR 1=1 --"), 422),
    case("NUL in a label", JSON, body(job_type="Techni\u0000cien"), 422),
    case("year 0", JSON, body(date="0000-01-01"), 422),
    case("year 1", JSON, body(date="0001-01-01"), 422),
    case("year 10000", JSON, body(date="10000-01-01"), 422),
    case("negative year", JSON, body(date="-2008-06-15"), 422),
    case("February 30", JSON, body(date="2008-02-30"), 422),
    case("month 13", JSON, body(date="2008-13-01"), 422),
    case("date as a number", JSON, body(date=20080615), 422),
    case("date with a time zone", JSON, body(date="2008-06-15T00:00:00+25:00"), 422),
    case("thousands of unknown fields", JSON, body(**{f"field{i}": i for i in range(3_000)}), 422),
    case("year 9999", JSON, body(date="9999-12-31"), 422),
]


@pytest.mark.parametrize(("content_type", "payload", "status"), CASES)
def test_hostile_body_gets_a_4xx_problem_and_writes_nothing(
    steady_server, untouched, content_type, payload, status
):
    server = steady_server
    headers = {**AUTHORIZATION, **({"Content-Type": content_type} if content_type else {})}
    response = requests.post(f"{server.url}/appetence", data=payload, headers=headers, timeout=10)
    assert response.status_code == status, response.text[:500]
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == status
    assert len(response.content) < 64 * 1024, "the answer is far larger than any request it allows"


def test_a_body_over_the_limit_is_refused_from_its_length_before_it_is_read(steady_server, untouched):
    """The header announces 100 MB and only a few bytes follow: a 413 proves nothing waited for the rest."""
    host, port = steady_server.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=5)
    connection.putrequest("POST", "/appetence")
    connection.putheader("Authorization", f"Bearer {API_KEY}")
    connection.putheader("Content-Type", JSON)
    connection.putheader("Content-Length", str(100 * 1024 * 1024))
    connection.endheaders(body(age=41))
    response = connection.getresponse()
    assert response.status == 413
    assert response.getheader("Content-Type") == "application/problem+json"
    connection.close()


def test_a_chunked_body_over_the_limit_is_refused(steady_server, untouched):
    chunks = (b"[" + b"0," * 32_768 for _ in range(4))  # 256 kB, no Content-Length
    response = requests.post(
        f"{steady_server.url}/appetence",
        data=chunks,
        headers={**AUTHORIZATION, "Content-Type": JSON},
        timeout=10,
    )
    assert response.status_code == 413, response.text
    assert response.headers["Content-Type"] == "application/problem+json"


@pytest.fixture
def as_serving_role(resilience_database):
    engine = sa.create_engine(
        resilience_database.settings.model_copy(update={"user": SERVING_ROLE}).url(),
        poolclass=sa.pool.NullPool,
    )
    yield engine
    engine.dispose()


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO socio_eco (date) VALUES ('2100-01-31')",
        "UPDATE socio_eco SET employment_variation_rate = 0",
        "DELETE FROM socio_eco",
        "SELECT duration_contact FROM marketing",
        "SELECT id, outcome FROM marketing",
        "SELECT subscription FROM marketing",
        "SELECT subscription FROM contact_outcome",
        "UPDATE marketing SET subscription = true",
        "DELETE FROM calibration",
        "UPDATE calibration SET shift = 0",
        "DELETE FROM marketing",
        "CREATE TABLE intruder (id int)",
    ],
)
def test_the_serving_role_can_only_read_what_serving_reads(as_serving_role, untouched, statement):
    with as_serving_role.connect() as connection:
        assert connection.scalar(sa.text("SELECT count(*) FROM socio_eco")) > 0
        assert connection.scalar(sa.text("SELECT count(*) FROM calibration")) > 0
        with pytest.raises(sa.exc.ProgrammingError, match="permission denied"):
            connection.execute(sa.text(statement))


def test_the_served_app_connects_as_the_serving_role(steady_server, resilience_database):
    assert requests.post(
        f"{steady_server.url}/appetence", json=EXAMPLE_REQUEST, headers=AUTHORIZATION, timeout=10
    ).ok
    with resilience_database.owner.connect() as connection:
        users = connection.scalars(
            sa.text("SELECT DISTINCT usename FROM pg_stat_activity WHERE application_name = 'chaos'")
        ).all()
    assert SERVING_ROLE in users
