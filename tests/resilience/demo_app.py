"""The demo service as `make run` starts it (`chaos serve`: embedded PostgreSQL, demo data, a trained
champion, gunicorn), but on 127.0.0.1 on a free port with every file under a fresh /tmp directory,
removed afterwards; for `make fuzz` and `make soak`, which must not touch the developer's var/."""

import contextlib
import shutil
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from chaos.infrastructure.config.settings import DatabaseSettings, ModelSettings, Settings
from chaos.infrastructure.db.embedded import EmbeddedPostgres
from harness.network import free_port
from harness.server import ServerProcess


@dataclass(frozen=True)
class DemoApp:
    server: ServerProcess
    settings: Settings

    @property
    def url(self) -> str:
        return self.server.url


@contextlib.contextmanager
def demo_app(workers: int = 2, cache_ttl_seconds: float | None = None) -> Iterator[DemoApp]:
    root = Path(tempfile.mkdtemp(prefix="chaos-demo-"))
    settings = Settings(
        database=DatabaseSettings(data_dir=root / "pgdata", port=free_port()),
        model=ModelSettings(directory=root / "models"),
    )
    document = settings.model_dump(mode="json", by_alias=True)
    if cache_ttl_seconds is not None:
        document["socio_eco"]["cache_ttl_seconds"] = cache_ttl_seconds
    (root / "config.yml").write_text(yaml.safe_dump(document))
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "chaos",
        "serve",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
    ]
    env = {"PATH": "/usr/bin:/bin", "HOME": str(root), "CHAOS_CONFIGURATION_PATH": str(root / "config.yml")}
    server = ServerProcess(command, env, root, f"http://127.0.0.1:{port}", root / "serve.log")
    try:
        yield DemoApp(server.start(), settings)
    finally:
        server.stop()
        EmbeddedPostgres(settings.database).stop()
        shutil.rmtree(root, ignore_errors=True)
