"""The curl example `chaos serve` prints targets the bound address with the README's request."""

import json
import shlex

import pytest

from chaos.application.serve_command import curl_example
from chaos.application.web.appetence_schema import EXAMPLE_REQUEST


@pytest.mark.parametrize(
    "bind, url",
    [
        ("0.0.0.0:5000", "http://localhost:5000/appetence"),
        ("127.0.0.1:8080", "http://127.0.0.1:8080/appetence"),
    ],
)
def test_the_curl_example_is_a_runnable_command(bind, url):
    words = shlex.split(curl_example(bind))
    assert words[:5] == ["curl", "-s", "-X", "POST", url]
    assert json.loads(words[words.index("-d") + 1]) == EXAMPLE_REQUEST
    assert words[words.index("-H") + 1] == "Content-Type: application/json"
