"""A real GCS JSON API on the loopback (gcp-storage-emulator), for the model store's Cloud Storage
adapter in the suites and for `make pod`'s bucket."""

from pathlib import Path

from gcp_storage_emulator.server import create_server
from google.cloud import storage

BUCKET = "chaos-models-test"


class Emulator:
    """gcp-storage-emulator in memory on a free loopback port, with the test bucket."""

    def __init__(self) -> None:
        self.server = create_server("127.0.0.1", 0, in_memory=True, default_bucket=BUCKET)
        self.server.start()
        host, port = self.server._api._httpd.server_address
        self.url = f"http://{host}:{port}"

    def stop(self) -> None:
        self.server.stop()


def upload(directory: Path, prefix: str) -> None:
    """Every object of a local model store into the test bucket under `prefix`, as published: a
    signature does not depend on where the objects are."""
    bucket = storage.Client().bucket(BUCKET)
    for path in sorted(directory.rglob("*")):
        key = path.relative_to(directory)
        if path.is_file() and not any(part.startswith(".") for part in key.parts):
            bucket.blob(f"{prefix}/{key.as_posix()}").upload_from_filename(path)
