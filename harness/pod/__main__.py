"""`make pod`: the production pod's shape (harness/pod/shape.py) on https://127.0.0.1:8443 until Ctrl-C.

Behind the Cloud SQL proxy's stand-in: an embedded PostgreSQL with demo data; the model is trained on
it, signed, and published to an emulated Cloud Storage bucket (gcp-storage-emulator), which the pod
reads and follows; all in a temporary folder removed at the end. Prints a curl command that returns
a score, the commands that run the deploy's smoke test and the end-to-end suite against it, and the
`chaos models` command line that promotes or rolls back in that bucket.
"""

import json
import os
import shlex
import signal
import sys
import tempfile
from pathlib import Path

import yaml
from _pytest.outcomes import Skipped

from chaos.bootstrap import training_on
from chaos.entrypoints.web.appetence_schema import EXAMPLE_REQUEST
from chaos.infrastructure.api_keys import key_hash, new_key
from chaos.infrastructure.config.settings import DatabaseSettings, ModelSettings, Settings
from chaos.infrastructure.db import schema
from chaos.infrastructure.db.embedded import EmbeddedPostgres
from chaos.infrastructure.db.engine import create_engine
from chaos.infrastructure.demo.seeding import seed_demo
from chaos.infrastructure.models.configured import configured_publisher
from chaos.infrastructure.training.packaging import packaged
from harness.gcs import BUCKET, Emulator, upload
from harness.network import free_port
from harness.pod.shape import running_pod
from harness.publisher import publisher_settings

HTTPS_PORT = 8443
DEMO_ROWS = 4000
PREFIX = "master"


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="chaos-pod-") as directory:
        root = Path(directory)
        database = DatabaseSettings(data_dir=root / "pgdata", port=free_port())
        server, bucket = EmbeddedPostgres(database), Emulator()
        os.environ["STORAGE_EMULATOR_HOST"] = bucket.url
        server.start()
        try:
            return _serve(root, database, bucket)
        finally:
            server.stop()
            bucket.stop()


def _serve(root: Path, database: DatabaseSettings, bucket: Emulator) -> int:
    print(
        "pod: seeding demo data, training a model, publishing it to the bucket", file=sys.stderr, flush=True
    )
    publishing = publisher_settings(root / "models", root / "signing.pem")
    settings = Settings(database=database, model=ModelSettings(**publishing))
    engine = create_engine(database)
    try:
        schema.upgrade(engine)
        seed_demo(engine, rows=DEMO_ROWS)
        champion = training_on(settings, engine).train(True)
    finally:
        engine.dispose()
    local = configured_publisher(settings.model)
    served = local.load(champion)  # published again as another version, to have one to promote
    other = local.publish(packaged(served.pipeline), dict(served.metadata), champion=False)
    upload(root / "models", PREFIX)
    store = {
        "store": f"gs://{BUCKET}/{PREFIX}",
        "public_keys": publishing["public_keys"],
        "refresh_seconds": 5,
    }
    operator = root / "operator.yml"
    operator.write_text(
        yaml.safe_dump({"model": {**store, "signing_key_file": str(publishing["signing_key_file"])}})
    )
    key = new_key()
    (root / "pod").mkdir()
    with running_pod(
        database, store, [key_hash(key)], root / "pod", HTTPS_PORT, storage_emulator=bucket.url
    ) as pod:
        body = json.dumps(EXAMPLE_REQUEST, ensure_ascii=False)
        curl = (
            f"curl -sk -X POST {pod.url}/appetence -H {shlex.quote(f'Authorization: Bearer {key}')} "
            f"-H 'Content-Type: application/json' -d {shlex.quote(body)}"
        )
        print(f"pod: edge (nginx, TLS) on {pod.url}, gunicorn and the proxy's stand-in behind it; try:")
        print(f"  {curl}")
        print("the deploy's smoke test, and the end-to-end suite:")
        target = f"CHAOS_E2E_URL={pod.url} CHAOS_E2E_KEY={key} CHAOS_E2E_CACERT={pod.certificate}"
        print(f"  CHAOS_SMOKE_KEY={key} python3 deployment/smoke.py {pod.url} --cacert {pod.certificate}")
        print(f"  {target} .venv/bin/pytest tests/e2e")
        print(f"pod: its model store is {store['store']} (emulated), champion {champion}; the pod's")
        print("answers follow a promotion or a rollback there within its refresh_seconds (5 s):")
        environment = f"STORAGE_EMULATOR_HOST={bucket.url} CHAOS_CONFIGURATION_PATH={operator}"
        print(f"  {environment} chaos models promote {other} --force")
        print(f"  {environment} chaos models rollback")
        print("pod: logs in", pod.root, "- Ctrl-C stops it", flush=True)
        try:
            signal.pause()
        except KeyboardInterrupt:
            print("pod: stopping", file=sys.stderr)
    return 0


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        sys.exit(main())
    except (Skipped, FileNotFoundError, OSError, ValueError) as error:
        sys.exit(f"pod: {error}")
