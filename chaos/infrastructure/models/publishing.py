"""Publishing to a model store: new signed versions, the champion pointer moved, every move recorded.

Only the jobs that train and the commands that move the champion publish; pods hold a reader
(artifacts.py). A version's objects are created one by one, create-only, and its manifest, signed
with the publisher's key, last: the version is whole when its manifest exists. The champion
pointer is replaced only if it is still the one read, and every change is recorded (from, to,
when, command, host, why).
"""

import json
import socket
import sys
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import cast

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from chaos.domain.model_store import ChampionConflict, ChampionPointer, ModelLoadError
from chaos.infrastructure.config.settings import DEMO_PUBLIC_KEY
from chaos.infrastructure.models.artifacts import (
    CHAMPION_FILE,
    HISTORY,
    MANIFEST_FILE,
    METADATA_FILE,
    ArtifactReader,
    feature_groups,
    json_bytes,
    sha256_hex,
)
from chaos.infrastructure.models.signing import demo_private_key, sign
from chaos.infrastructure.models.storage import ObjectExists, ObjectStorage, Pointer, PointerConflict
from chaos.infrastructure.operator import operator


class ArtifactPublisher(ArtifactReader):
    """A store that publishes (the ModelPublisher port) and reads back what it published. Without
    arguments it trusts and signs with the published demo key (a fresh clone)."""

    def __init__(
        self,
        storage: ObjectStorage | Path | str,
        public_keys: Sequence[str] = (DEMO_PUBLIC_KEY,),
        signing_key: Ed25519PrivateKey | None = None,
    ):
        super().__init__(storage, public_keys)
        self.signing_key = signing_key or (demo_private_key() if DEMO_PUBLIC_KEY in public_keys else None)

    def publish(
        self,
        artifact: Mapping[str, bytes],
        metadata: dict,
        champion: bool,
        files: Callable[[str], Mapping[str, bytes]] = lambda version: {},
        read: ChampionPointer | None = None,
    ) -> str:
        """Publish a new version (its name is added to `metadata`): the packaged model `artifact`
        (training/packaging.py) with the `files(version)` beside it (e.g. the report); with
        `champion`, point the champion at it if the pointer is still `read`."""
        if self.signing_key is None:
            raise ModelLoadError(
                f"cannot publish to {self.location}: no signing key (model.signing_key_file)"
            )
        with self._reaching():
            version = self._claim(dict(artifact), metadata, files)
        if champion:
            self.set_champion(version, {"promotion": metadata.get("promotion")}, read)
        return version

    def _claim(
        self, built: dict[str, bytes], metadata: dict, files: Callable[[str], Mapping[str, bytes]]
    ) -> str:
        """Create the first free version name of this second, create-only object by object, and
        sign its manifest last: the version is whole when its manifest exists."""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        for attempt in range(1, 1000):
            version = stamp if attempt == 1 else f"{stamp}-{attempt}"
            content = {
                **built,
                **files(version),
                METADATA_FILE: json_bytes({**metadata, "version": version}),
            }
            first, *others = content
            try:
                self.storage.create(f"{version}/{first}", content[first])
            except ObjectExists:
                continue
            for name in others:
                self.storage.create(f"{version}/{name}", content[name])
            manifest = {
                "version": version,
                "files": {name: sha256_hex(data) for name, data in sorted(content.items())},
                "features": feature_groups(),
            }
            assert self.signing_key is not None  # checked by publish
            self.storage.create(f"{version}/{MANIFEST_FILE}", sign(manifest, self.signing_key))
            return version
        raise RuntimeError(f"no free version name in {self.location} for {stamp}")

    def set_champion(self, version: str, why: dict, read: ChampionPointer | None = None) -> None:
        """Point the champion at `version` (checked servable first), if the pointer is still `read`
        (the current one if None), and record the change with `why` (the gate's figures, forced...)."""
        self.load(version)
        with self._reaching():
            pointer = cast(Pointer, read) or self.storage.pointer(CHAMPION_FILE)  # this store's pointer
            previous = pointer.text
            try:
                self.storage.replace(CHAMPION_FILE, (version + "\n").encode(), pointer)
            except PointerConflict as error:
                raise ChampionConflict(
                    f"champion of {self.location} changed from {previous} to {self.champion()} meanwhile: "
                    f"{version} not promoted, nothing overwritten; check and retry"
                ) from error
            self._record({"from": previous, "to": version, **why})

    def history(self) -> list[dict]:
        """Every champion change, newest first."""
        with self._reaching():
            keys = self.storage.keys(HISTORY)
            events = [json.loads(self.storage.read(key)) for key in keys]
        return sorted(events, key=lambda event: event["at"], reverse=True)

    def _record(self, event: dict) -> None:
        at = datetime.now(UTC)
        entry = {
            "command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
            **event,
            "at": at.isoformat(timespec="microseconds"),
            "host": socket.gethostname(),
            "user": operator(),
        }
        name = f"{HISTORY}{at.strftime('%Y%m%dT%H%M%S.%fZ')}-{uuid.uuid4().hex[:8]}.json"
        self.storage.create(name, json_bytes(entry))
