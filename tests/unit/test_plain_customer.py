"""The direct reader of the common `POST /appetence` body agrees with the request model: on any
body, it either declines or reads exactly the contact the request model reads; so `parse` answers
every body as the request model alone did, errors included."""

import json
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chaos.domain.features import BOOLEAN, CATEGORICAL, NUMERIC, RANGES
from chaos.entrypoints.web.appetence_schema import (
    EXAMPLE_REQUEST,
    MAX_DAYS_AHEAD,
    AppetenceSchema,
    InvalidFields,
    InvalidJson,
)
from chaos.infrastructure.importing.layouts import INT64
from tests.fakes import VOCABULARY

SCHEMA = AppetenceSchema(VOCABULARY)
TODAY = date.today()
COMMON = {**EXAMPLE_REQUEST, "job_type": "Technicien", "status": "Marié", "education": "Secondaire"}


def by_the_request_model(body: bytes):
    """What `parse` answered before the direct reader: the contact, or the error's class and items."""
    try:
        return SCHEMA.contact(SCHEMA.validate_json(SCHEMA.request_model, body), TODAY)
    except InvalidFields as error:
        return InvalidFields, error.errors, error.total
    except InvalidJson as error:
        return InvalidJson, str(error)


def by_parse(body: bytes):
    try:
        return SCHEMA.parse(body, TODAY)
    except InvalidFields as error:
        return InvalidFields, error.errors, error.total
    except InvalidJson as error:
        return InvalidJson, str(error)


def labels(name: str):
    known = VOCABULARY[name]
    respelled = st.sampled_from(known).map(lambda label: f" {label.upper()} ")
    return st.one_of(st.sampled_from(known), respelled, st.none(), st.text(max_size=5), st.integers())


def numbers(name: str):
    low, high = RANGES[name]
    edges = st.sampled_from([low - 1, low, high, high + 1])
    return st.one_of(
        st.integers(low, high),
        edges,
        st.none(),
        st.floats(low - 1, high + 1),
        st.integers(low, high).map(float),
        st.booleans(),
        st.just("41"),
    )


FLAGS = st.one_of(
    st.booleans(),
    st.none(),
    st.sampled_from([" Oui", "NO", "true", "1", "0", "peut-être", ""]),
    st.integers(0, 1),
)
LIMIT = TODAY + timedelta(days=MAX_DAYS_AHEAD)
DAYS = st.one_of(
    st.none(),
    st.dates(min_value=date(1899, 12, 1), max_value=LIMIT + timedelta(days=3)).map(str),
    st.sampled_from([date(1899, 12, 31), date(1900, 1, 1), LIMIT, LIMIT + timedelta(days=1)]).map(str),
    st.sampled_from(["2008-02-30", "2008-6-15", "20080615", "2008-06-15T00:00:00", "0000-01-01"]),
    st.integers(),
)
IDS = st.one_of(
    st.none(), st.integers(-2, 2), st.just(INT64), st.just(INT64 + 1), st.floats(), st.text(max_size=3)
)
FIELDS = {
    **{name: labels(name) for name in CATEGORICAL},
    **dict.fromkeys(BOOLEAN, FLAGS),
    **{name: numbers(name) for name in NUMERIC},
    "date": DAYS,
    "id": IDS,
    "duration_contact": st.integers(0, 10),
}
CHANGE = st.one_of(*(st.tuples(st.just(name), values) for name, values in FIELDS.items()))
BODIES = st.lists(CHANGE, max_size=3).map(lambda changes: {**COMMON, **dict(changes)})
"""The common body with up to three fields set to anything, valid or not."""


@settings(max_examples=600, deadline=None)
@given(BODIES, st.sets(st.sampled_from(sorted(COMMON)), max_size=2))
def test_any_body_is_answered_as_the_request_model_answers_it(body, removed):
    encoded = json.dumps({name: value for name, value in body.items() if name not in removed}).encode()
    assert by_parse(encoded) == by_the_request_model(encoded)


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"{",
        b"[]",
        b"null",
        b'{"age": 41, "age": "x"}',
        json.dumps(COMMON).encode() + b" x",
        b"\xff\xfe",
        json.dumps({**COMMON, "job_type": "Astronaute", "nb_contact": -1}).encode(),
    ],
)
def test_malformed_and_invalid_bodies_get_the_request_models_errors(body):
    assert by_parse(body) == by_the_request_model(body)


def test_the_common_shape_is_read_directly_as_the_request_model_reads_it():
    body = json.dumps({**COMMON, "id": 41_188, "date": "2008-06-15", "job_type": " technicien"}).encode()
    assert SCHEMA.plain.read(body) is not None
    assert by_parse(body) == by_the_request_model(body)
