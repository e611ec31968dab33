"""`make client`: regenerate the typed Python client in clients/python from the app's OpenAPI document.

The document is built in process, as `GET /openapi.json` answers it with the default settings, so
regenerating needs no server and gives the same files every time (the no-drift test relies on it).
Its labels (job type, status…) are enums of the served model's vocabulary; a retrained model may
learn new ones and the API matches them case-insensitively, so the client types them as strings
and leaves checking them to the server, which answers a 422 naming what it accepts.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from chaos.bootstrap import web_worker
from chaos.domain.features import CATEGORICAL
from chaos.entrypoints.web.app_factory import create_app
from chaos.infrastructure.config import Settings
from tests.fakes import FakeScoringModel, InMemorySocioEcoRepository

ROOT = Path(__file__).resolve().parents[2]
CLIENT = ROOT / "clients" / "python"
SETTINGS = Path(__file__).with_name("generator.yml")


def openapi_document() -> dict[str, Any]:
    """What `GET /openapi.json` answers with the default settings, labels typed as strings."""
    app = create_app(
        web_worker(Settings(), model=FakeScoringModel(), repository=InMemorySocioEcoRepository())
    )
    document = app.test_client().get("/openapi.json").json
    for schema in document["components"]["schemas"].values():
        for name in CATEGORICAL:
            if name in schema.get("properties", {}):
                schema["properties"][name]["anyOf"] = [{"type": "string"}, {"type": "null"}]
    return document


def generate(output: Path) -> None:
    """Write the client project into `output` (replaced), formatted by the pinned ruff."""
    with tempfile.TemporaryDirectory() as scratch:
        document = Path(scratch) / "openapi.json"
        document.write_text(json.dumps(openapi_document()))
        command = [sys.executable, "-m", "openapi_python_client", "generate", "--path", str(document)]
        command += ["--config", str(SETTINGS), "--meta", "uv", "--output-path", str(output), "--overwrite"]
        bin_directory = str(Path(sys.executable).parent)  # the post hooks' ruff
        environment = os.environ | {"PATH": f"{bin_directory}{os.pathsep}{os.environ.get('PATH', '')}"}
        run = subprocess.run(command, env=environment, capture_output=True, text=True)
        if run.returncode:
            raise RuntimeError(f"openapi-python-client failed:\n{run.stdout}{run.stderr}")


if __name__ == "__main__":
    generate(CLIENT)
    print(f"regenerated {CLIENT.relative_to(ROOT)}")
