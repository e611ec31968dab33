"""A real GCS JSON API on the loopback for the model store's Cloud Storage adapter, and a thin front
before it that records every request and does what the emulator does not.

`gcp-storage-emulator` stores and serves objects through the API the official client speaks, but
ignores `ifGenerationMatch`: a create-only write over an existing object and a write with a stale
generation both succeed. The front passes every request on, after checking an upload's
`ifGenerationMatch` against the object's current generation (412 when it differs, as Cloud Storage
answers), one upload at a time so that the check and the write are atomic; `forbidden` answers 403
to everything, as a bucket without the reader's IAM binding does.
"""

import json
import re
import threading
import urllib.parse
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from requests.structures import CaseInsensitiveDict

from harness.gcs import Emulator

JSON: Mapping[str, str] = CaseInsensitiveDict({"Content-Type": "application/json"})
METADATA_PART = re.compile(rb"\r\n\r\n(\{.*?\})\r\n--", re.DOTALL)


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    name: str | None
    """The object an upload writes (from its metadata part), else None."""
    status: int
    generation: str | None
    """The generation a metadata read answered (the object's `generation` field), else None."""


class GenerationFront:
    """Forwards to `upstream`, enforcing upload preconditions and recording every request."""

    def __init__(self, upstream: str):
        self.upstream = upstream
        self.recorded: list[Recorded] = []
        self.forbidden = False
        self.uploads = threading.Lock()
        front = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                front.handle(self)

            do_POST = do_PUT = do_PATCH = do_DELETE = do_GET

            def log_message(self, format: str, *args: object) -> None:
                """Quiet: the recorded requests are what tests read."""

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        host, port = self.httpd.server_address[:2]
        self.url = f"http://{host}:{port}"

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        parsed = urllib.parse.urlsplit(request.path)
        query = dict(urllib.parse.parse_qsl(parsed.query))
        body = request.rfile.read(int(request.headers.get("Content-Length") or 0))
        name = _uploaded_name(parsed.path, query, body)
        if self.forbidden:
            status, headers, content = 403, JSON, _error(403, "Forbidden")
        elif name is not None and "ifGenerationMatch" in query:
            with self.uploads:
                current = self.generation(parsed.path.split("/")[5], name)
                if current != query["ifGenerationMatch"]:
                    status, headers = 412, JSON
                    content = _error(412, "At least one of the pre-conditions you specified did not hold.")
                else:
                    status, headers, content = self.forward(request, body)
        else:
            status, headers, content = self.forward(request, body)
        answered = _answered_generation(status, headers, content)
        self.recorded.append(Recorded(request.command, parsed.path, query, name, status, answered))
        request.send_response(status)
        for header, value in headers.items():
            if header.lower() not in (
                "content-length",
                "transfer-encoding",
                "connection",
                "content-encoding",
            ):
                request.send_header(header, value)
        request.send_header("Content-Length", str(len(content)))
        request.end_headers()
        request.wfile.write(content)

    def forward(self, request: BaseHTTPRequestHandler, body: bytes) -> tuple[int, Mapping[str, str], bytes]:
        headers = {key: value for key, value in request.headers.items() if key.lower() != "host"}
        answer = requests.request(
            request.command, self.upstream + request.path, data=body, headers=headers, timeout=10
        )
        return answer.status_code, answer.headers, answer.content

    def generation(self, bucket: str, name: str) -> str:
        """The object's current generation, "0" when it does not exist (what ifGenerationMatch=0 means)."""
        answer = requests.get(
            f"{self.upstream}/storage/v1/b/{bucket}/o/{urllib.parse.quote(name, safe='')}", timeout=10
        )
        return str(answer.json()["generation"]) if answer.status_code == 200 else "0"

    def uploads_of(self, name: str) -> list[Recorded]:
        return [entry for entry in self.recorded if entry.name == name]

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _uploaded_name(path: str, query: dict[str, str], body: bytes) -> str | None:
    if not path.startswith("/upload/storage/v1/b/"):
        return None
    if "name" in query:
        return query["name"]
    found = METADATA_PART.search(body)
    return json.loads(found.group(1))["name"] if found else None


def _answered_generation(status: int, headers: Mapping[str, str], content: bytes) -> str | None:
    if status != 200 or not headers.get("Content-Type", "").startswith("application/json"):
        return None
    document = json.loads(content)
    return str(document["generation"]) if isinstance(document, dict) and "generation" in document else None


def _error(code: int, message: str) -> bytes:
    return json.dumps(
        {"error": {"code": code, "message": message, "errors": [{"message": message}]}}
    ).encode()


@pytest.fixture(scope="session")
def gcs_emulator() -> Iterator[Emulator]:
    emulator = Emulator()
    yield emulator
    emulator.stop()


@pytest.fixture
def gcs(gcs_emulator, monkeypatch) -> Iterator[GenerationFront]:
    """The front before the emulator, where the official client is pointed (STORAGE_EMULATOR_HOST)."""
    front = GenerationFront(gcs_emulator.url)
    monkeypatch.setenv("STORAGE_EMULATOR_HOST", front.url)
    yield front
    front.stop()
