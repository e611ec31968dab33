"""The curl example `chaos serve` prints targets the bound address with the README's request and a key."""

import json
import shlex

import pytest

from chaos.entrypoints.cli.serve import curl_example
from chaos.entrypoints.web.appetence_schema import EXAMPLE_REQUEST
from chaos.infrastructure.api_keys import DEMO_KEY, key_hash
from chaos.infrastructure.config import Settings
from chaos.infrastructure.config.settings import ApiSettings


def words_of(command: str) -> list[str]:
    return shlex.split(command)


def option(words: list[str], name: str) -> list[str]:
    return [words[i + 1] for i, word in enumerate(words) if word == name]


@pytest.mark.parametrize(
    "bind, url",
    [
        ("0.0.0.0:5000", "http://localhost:5000/appetence"),
        ("127.0.0.1:8080", "http://127.0.0.1:8080/appetence"),
    ],
)
def test_the_curl_example_is_a_runnable_command(bind, url):
    words = words_of(curl_example(bind, Settings()))
    assert words[:5] == ["curl", "-s", "-X", "POST", url]
    assert json.loads(option(words, "-d")[0]) == EXAMPLE_REQUEST
    assert option(words, "-H") == [f"Authorization: Bearer {DEMO_KEY}", "Content-Type: application/json"]


def test_without_the_demo_key_the_example_shows_a_placeholder():
    settings = Settings(api=ApiSettings(keys=[key_hash("a-private-key")]))
    words = words_of(curl_example("0.0.0.0:5000", settings))
    assert "Authorization: Bearer <your key>" in option(words, "-H")
