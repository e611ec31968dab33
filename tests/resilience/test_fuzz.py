"""A short schemathesis run inside the suite (`make fuzz` runs the long one): every check, against real
gunicorn served as the serving role (whose key may not report outcomes), with the database
fingerprinted before and after."""

from tests.resilience.fuzz import fuzz
from tests.support.resilience import AUTHORIZATION

SEED = 7  # a fixed seed: the suite replays the same cases; `make fuzz` draws new ones


def test_the_api_keeps_its_openapi_contract_and_never_answers_5xx(
    steady_server, untouched_but_the_served_record
):
    report = fuzz(steady_server.url, AUTHORIZATION, examples=25, seed=SEED)
    assert report.cases >= 100, report.output
    assert report.server_errors == 0, report.output
    assert report.failures == {}, report.output
