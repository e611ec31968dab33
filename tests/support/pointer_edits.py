"""What a hand edit of the champion pointer must not change, checked the same way on a local store
and on a bucket: the served model, and that the refusal is said in /models, the metric and
`chaos models list`."""

from collections.abc import Callable
from datetime import date

import yaml

from chaos.bootstrap import web_worker
from chaos.domain.socio_eco import SocioEcoIndicators
from chaos.entrypoints.cli.main import main
from chaos.entrypoints.web.app_factory import create_app
from chaos.entrypoints.web.extension import current_serving
from chaos.infrastructure.config import Settings
from tests.fakes import InMemorySocioEcoRepository
from tests.web_clients import keyed_client, samples

FAILURES = ("chaos_model_refresh_failures_total", (("reason", "pointer"),))
REPOSITORY = InMemorySocioEcoRepository([SocioEcoIndicators(date(2008, 5, 31), 1.1, 93.9, -36.4)])


def hand_edits_change_nothing(
    settings: dict,
    served: str,
    edits: dict[str, bytes],
    overwrite: Callable[[bytes], None],
    configuration: str,
    capsys,
    monkeypatch,
) -> None:
    """With `served` the champion, each of `edits` (what it is: the bytes written over CHAMPION) is
    refused by a running worker and by a restarted one, which keep serving `served`."""
    path = f"{configuration}/config.yml"
    with open(path, "w") as file:
        yaml.safe_dump(settings, file)
    monkeypatch.setenv("CHAOS_CONFIGURATION_PATH", path)
    running = worker(settings)
    with running.application.app_context():
        models = current_serving().service.models
    for what, content in edits.items():
        before = samples(running).get(FAILURES, 0)
        overwrite(content)
        assert models.refresh() is False, what
        restarted = keyed_client(
            create_app(web_worker(Settings.model_validate(settings), repository=REPOSITORY))
        )
        for client in (running, restarted):
            assert client.get("/ready").json["model_version"] == served, what
            listing = client.get("/models")
            assert listing.status_code == 200, what
            assert listing.json["champion_problem"].startswith("CHAMPION refused: "), what
            assert [model["version"] for model in listing.json["models"] if model["champion"]] == [served]
        assert samples(running)[FAILURES] == before + 2, what  # the running worker's, the restarted one's
        capsys.readouterr()
        assert main(["models", "list"]) == 0, what
        out = capsys.readouterr().out
        assert f"champion pointer REFUSED, serving {served}: CHAMPION refused: " in out, what


def worker(settings: dict):
    return keyed_client(create_app(web_worker(Settings.model_validate(settings), repository=REPOSITORY)))
