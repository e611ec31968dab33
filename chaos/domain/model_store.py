"""The model-store ports: where versioned models are read (every process that scores) and where they
are published (the jobs that train and the commands that move the champion).

A store holds immutable, signed versions and a champion pointer. Readers verify what they load and
follow the pointer; only a publisher writes a version, moves the pointer (if it is still the one it
read) and records why. The adapters are in chaos/infrastructure/models; tests use in-memory fakes.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

from chaos.domain.scoring import ScoringModel

REPORT_FILE = "report.html"
"""The name of a version's HTML report in a model store."""


class ModelLoadError(Exception):
    """No usable model: missing store or version, corrupt, unsigned or tampered file, or other code."""


class StoreUnavailable(ModelLoadError):
    """The store could not be used at all (unreachable, no bucket, no permission): not the model's fault."""


class ChampionConflict(ModelLoadError):
    """The champion changed while a promotion was being decided: nothing was overwritten."""


class ChampionPointer(Protocol):
    """The champion pointer as read: pass it back to replace it only if it is unchanged."""

    @property
    def text(self) -> str | None:
        """The champion's version; None when there is none."""
        ...


@dataclass(frozen=True)
class ChampionStatus:
    """The champion as proven by its signed pointer: the version to serve (None: none can be proven),
    the pointer's sequence, and why the pointer as written was refused (None when it was followed)."""

    version: str | None
    sequence: int | None = None
    problem: str | None = None


class ModelStore(Protocol):
    """What serving and the jobs that score read; every failure is a ModelLoadError."""

    @property
    def location(self) -> str:
        """Where the store is, for messages: a directory or gs://bucket/prefix."""
        ...

    def where(self, version: str, file: str = "") -> str:
        """The full name of a version (or of one of its files), for messages."""
        ...

    def versions(self) -> list[str]:
        """Published versions, newest first."""
        ...

    def champion(self) -> str | None:
        """The version of `champion_status`."""
        ...

    def champion_status(self) -> ChampionStatus:
        """The champion followed: the signed pointer if it is not forged nor replayed, else the newest
        statement this reader can prove, with why the pointer was refused."""
        ...

    def problems(self) -> list[str]:
        """The objects of the store refused on their own (links, forged history entries...), one
        line each: the rest of the store is still read."""
        ...

    def metadata(self, version: str) -> dict:
        """The version's metadata, once its signed manifest is verified."""
        ...

    def load(self, version: str | None = None) -> ScoringModel:
        """The version (the champion if None), verified and checked servable by this code."""
        ...

    def report(self, version: str) -> bytes:
        """The version's HTML report, checked against its signed manifest."""
        ...


class ModelPublisher(ModelStore, Protocol):
    """What publishes: new signed versions, the champion pointer moved and every move recorded."""

    def champion_pointer(self) -> ChampionPointer: ...

    def publish(
        self,
        artifact: Mapping[str, bytes],
        metadata: dict,
        champion: bool,
        files: Callable[[str], Mapping[str, bytes]] = lambda version: {},
        read: ChampionPointer | None = None,
    ) -> str:
        """Publish a new version made of `artifact` (the packaged model) and `files(version)`, return
        its name; with `champion`, point the champion at it if the pointer is still `read`."""
        ...

    def set_champion(self, version: str, why: dict, read: ChampionPointer | None = None) -> None:
        """Point the champion at `version` (checked servable first) if the pointer is still `read`,
        and record the change with `why`; ChampionConflict if someone else moved it."""
        ...

    def history(self) -> list[dict]:
        """Every champion change, newest first; an entry that is not part of the signed chain says
        why under `problem`."""
        ...
