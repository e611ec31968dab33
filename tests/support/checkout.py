"""The suite leaves the checkout's local state (`var/`: the demo's database and models) as it found
it: a test that fell back on the default model directory would otherwise leave a model that the next
`make run` refuses (signed by a test key), or serves."""

from pathlib import Path

import pytest

LOCAL_STATE = Path(__file__).resolve().parents[2] / "var" / "models"
_BEFORE = pytest.StashKey[set[str]]()


def _listing() -> set[str]:
    return (
        {str(path.relative_to(LOCAL_STATE)) for path in LOCAL_STATE.rglob("*")}
        if LOCAL_STATE.exists()
        else set()
    )


def pytest_sessionstart(session: pytest.Session) -> None:
    session.config.stash[_BEFORE] = _listing()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    added = sorted(_listing() - session.config.stash[_BEFORE])
    if added:
        print(f"\nthe suite wrote into the checkout's {LOCAL_STATE}: {added[:5]}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
