"""The client in clients/python is what the generator makes of today's OpenAPI document: a change to
the API that is not regenerated (`make client`) fails here, naming the files that differ."""

from pathlib import Path

from tests.client.generate import CLIENT, generate

CACHES = {"__pycache__", ".ruff_cache", ".mypy_cache", ".pytest_cache"}
"""Left in the checkout by running or linting the client (git-ignored), never generated."""


def files(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not CACHES.intersection(path.relative_to(root).parts)
    }


def test_regenerating_the_client_changes_nothing(tmp_path):
    generate(tmp_path / "python")
    fresh, committed = files(tmp_path / "python"), files(CLIENT)
    names = fresh.keys() | committed.keys()
    differing = sorted(name for name in names if fresh.get(name) != committed.get(name))
    assert not differing, f"clients/python is out of date, run `make client`: {differing}"
