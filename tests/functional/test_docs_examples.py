"""Every curl and Python-client example of the README and the guides runs as written against a fresh
demo service: the blocks are read from the Markdown here, so an example cannot drift from what the
service answers. Each block runs from a directory holding the repository's `examples/`, its address
replaced by the test server's; a curl that gets an error status fails it, as does Python that raises."""

import csv
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from chaos.infrastructure.demo.seeding import seed_demo
from tests.support.database import emptied
from tests.support.served import DEMO_ROWS, configuration, gunicorn_server

ROOT = Path(__file__).resolve().parents[2]
PAGES = ("README.md", "docs/quickstart.md", "docs/api.md", "docs/client.md")
ADDRESS = re.compile(r"http://(?:localhost|127\.0\.0\.1):5000")
FAILING_CURL = 'set -euo pipefail\ncurl() { command curl --fail-with-body --show-error "$@"; }\n'
"""Every curl of a block fails the block on an HTTP error (the examples write `curl -s`)."""
JSON = {"Content-Type": "application/json"}


def examples(language: str, marker: str) -> list[tuple[str, str]]:
    """(where, code) of every `language` block of PAGES that holds `marker`."""
    found = []
    for page in PAGES:
        text = (ROOT / page).read_text()
        for block in re.finditer(rf"```{language}\n(.*?)```", text, re.DOTALL):
            if marker in block.group(1):
                line = text[: block.start()].count("\n") + 1
                found.append((f"{page}:{line}", block.group(1)))
    return found


CURLS = examples("bash", "curl ")
CLIENT = examples("python", "chaos_client")


def test_the_pages_hold_the_examples_this_test_runs():
    assert {where.split(":")[0] for where, _ in CURLS} == {"README.md", "docs/quickstart.md", "docs/api.md"}
    assert len(CLIENT) == 2


@pytest.fixture(scope="module")
def demo(migrated_engine, trained_models, tmp_path_factory, database_settings):
    """A fresh demo service: the demo's data only, nothing reported or served yet, and a directory
    to run the examples from."""
    engine = emptied(migrated_engine)
    models, _ = trained_models
    seed_demo(emptied(engine), rows=DEMO_ROWS)
    directory = tmp_path_factory.mktemp("docs-examples")
    (directory / "examples").symlink_to(ROOT / "examples")
    server = gunicorn_server(directory, configuration(database_settings, models), workers=1).launch()
    try:
        yield server.wait_until_up("/ready"), directory
    finally:
        server.stop()


def run(command: list[str], code: str, directory: Path, where: str) -> str:
    environment = os.environ | {"PYTHONPATH": str(ROOT / "clients" / "python")}
    done = subprocess.run(
        command, input=code, text=True, capture_output=True, cwd=directory, env=environment, timeout=120
    )
    assert done.returncode == 0, (
        f"{where} failed:\n{code}\n--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}"
    )
    return done.stdout


@pytest.mark.parametrize("where, code", CURLS, ids=[where for where, _ in CURLS])
def test_each_curl_example_runs_and_runs_again(demo, where, code):
    """Twice: a reader who runs an example again (a report sent twice) gets no error either."""
    server, directory = demo
    for _ in range(2):
        run(["bash"], FAILING_CURL + ADDRESS.sub(server.url, code), directory, where)


@pytest.mark.parametrize("where, code", CLIENT, ids=[where for where, _ in CLIENT])
def test_each_client_example_runs(demo, where, code):
    server, directory = demo
    run([sys.executable, "-"], ADDRESS.sub(server.url, code), directory, where)


def test_the_example_lists_come_back_whole_with_their_ids_as_the_guide_says(demo):
    server, _ = demo
    answer = server.post(
        "/appetence/batch", data=(ROOT / "examples" / "campaign.json").read_bytes(), headers=JSON
    )
    assert answer.status_code == 200, answer.text
    results = answer.json()["results"]
    assert [(row["id"], row["problem"] and row["problem"]["type"]) for row in results] == [
        (41188, None),
        (41189, None),
        (41190, "urn:chaos:problem:no-indicators"),
    ]
    assert [row["appetence"] is None for row in results] == [False, False, True]
    answer = server.post(
        "/appetence/batch",
        data=(ROOT / "examples" / "campaign.csv").read_bytes(),
        headers={"Content-Type": "text/csv", "Accept": "text/csv"},
    )
    assert answer.status_code == 200, answer.text
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert [(row["id"], row["problem"]) for row in rows] == [
        ("41201", ""),
        ("41202", ""),
        ("41203", ""),
        ("41204", "urn:chaos:problem:no-indicators"),
    ]
    exported = server.post(
        "/appetence/batch",
        data=(ROOT / "examples" / "export.csv").read_bytes(),
        headers={"Content-Type": "text/csv"},
    )
    assert [(row["id"], row["problem"]) for row in exported.json()["results"]] == [
        (51001, None),
        (51002, None),
        (51003, None),
        (51004, None),
    ]
