"""No test leaves a champion follower running: each one an app or a registry started in the test is
stopped and joined when the test ends, so threads never outlive the test that started them."""

import threading
from collections.abc import Iterator

import pytest

from chaos.application.model_registry import ChampionFollower


@pytest.fixture(autouse=True)
def followers_joined() -> Iterator[None]:
    yield
    for thread in threading.enumerate():
        if isinstance(thread, ChampionFollower):
            thread.stop()
            assert not thread.is_alive()
