"""Publishing to a model store: new signed versions, the champion pointer moved, every move recorded.

Only the jobs that train and the commands that move the champion publish; pods hold a reader
(artifacts.py). A version's objects are created one by one, create-only, and its manifest, signed
with the publisher's key, last: the version is whole when its manifest exists. The champion
pointer is replaced only if it is still the one read, by a signed statement chained to the previous
one and kept in the history (champion_pointer.py: from, to, sequence, when, command, host, why).
"""

import socket
import sys
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import cast

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from chaos.domain.model_store import ChampionConflict, ChampionPointer, ModelLoadError
from chaos.infrastructure.config.settings import DEMO_PUBLIC_KEY
from chaos.infrastructure.models.artifacts import (
    CHAMPION_FILE,
    MANIFEST_FILE,
    METADATA_FILE,
    ArtifactReader,
    feature_groups,
    json_bytes,
    sha256_hex,
)
from chaos.infrastructure.models.champion_pointer import KIND, ChampionRead, entry_key
from chaos.infrastructure.models.signing import demo_private_key, sign
from chaos.infrastructure.models.storage import ObjectExists, ObjectStorage, PointerConflict, StorageError
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
        key = self._key()
        with self._reaching():
            version = self._claim(dict(artifact), metadata, files, key)
        if champion:
            self.set_champion(version, {"promotion": metadata.get("promotion")}, read)
        return version

    def _key(self) -> Ed25519PrivateKey:
        if self.signing_key is None:
            raise ModelLoadError(
                f"cannot publish to {self.location}: no signing key (model.signing_key_file)"
            )
        return self.signing_key

    def _claim(
        self,
        built: dict[str, bytes],
        metadata: dict,
        files: Callable[[str], Mapping[str, bytes]],
        key: Ed25519PrivateKey,
    ) -> str:
        """Create the first free version name of this second, create-only object by object, and
        sign its manifest last: the version is whole when its manifest exists. A write that fails
        (a full disk...) removes what this publish created: no half version is left behind."""
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
            manifest = {
                "version": version,
                "files": {name: sha256_hex(data) for name, data in sorted(content.items())},
                "features": feature_groups(),
            }
            created = [first]
            try:
                for name in others:
                    self.storage.create(f"{version}/{name}", content[name])
                    created.append(name)
                self.storage.create(f"{version}/{MANIFEST_FILE}", sign(manifest, key))
            except StorageError:
                for name in reversed(created):
                    self.storage.remove(f"{version}/{name}")
                raise
            return version
        raise RuntimeError(f"no free version name in {self.location} for {stamp}")

    def set_champion(self, version: str, why: dict, read: ChampionPointer | None = None) -> None:
        """Point the champion at `version` (checked servable first), if the pointer is still `read`
        (the current one if None), by a signed statement chained to the one followed, kept in the
        history too (champion_pointer.py); `why` says why (the gate's figures, forced...)."""
        key = self._key()
        self.load(version)
        with self._reaching():
            pointer = cast(ChampionRead, read) or self.champion_pointer()  # this store's pointer
            followed, recorded = pointer.followed, pointer.recorded
            if followed is not None and (recorded is None or recorded.sequence < followed.sequence):
                self._keep_in_history(followed.content, followed.sequence)  # a move interrupted before it
            sequence = pointer.next_sequence
            content = sign(self._statement(version, pointer, sequence, why), key)
            try:
                self.storage.replace(CHAMPION_FILE, content, pointer.pointer)
            except PointerConflict as error:
                raise ChampionConflict(
                    f"champion of {self.location} changed from {pointer.text} to {self.champion()} "
                    f"meanwhile: {version} not promoted, nothing overwritten; check and retry"
                ) from error
            self._keep_in_history(content, sequence)

    def _statement(self, version: str, pointer: ChampionRead, sequence: int, why: dict) -> dict:
        return {
            "command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
            **why,
            "kind": KIND,
            "from": pointer.text,
            "to": version,
            "sequence": sequence,
            "previous": pointer.followed.digest if pointer.followed else None,
            "at": datetime.now(UTC).isoformat(timespec="microseconds"),
            "host": socket.gethostname(),
            "user": operator(),
        }

    def _keep_in_history(self, content: bytes, sequence: int) -> None:
        """Record a statement in the history, once: the same bytes already there are kept."""
        try:
            self.storage.create(entry_key(sequence), content)
        except ObjectExists:
            if self.storage.read(entry_key(sequence)) != content:
                raise
