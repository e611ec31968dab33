"""Where model objects are kept: one small port, a local directory (the default) and Google Cloud
Storage (gcs_storage.py) behind it.

The port is what an object store offers and no more: read an object, create one only if it is
absent (versions are immutable), list keys, and replace a pointer only if it is still the one read
(its generation), so two concurrent promotions cannot silently overwrite each other.
"""

import errno
import fcntl
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from chaos.infrastructure.models.scratch import scratch


class StorageError(Exception):
    """The store cannot be used (missing, unreachable, not allowed, or an object not as expected)."""


class ObjectMissing(StorageError):
    pass


class ObjectExists(StorageError):
    pass


class ObjectRefused(StorageError):
    """One object cannot be part of a store (a symbolic link, not a regular file): it alone is refused."""


class PointerConflict(StorageError):
    """The pointer changed between its read and its replacement: someone else promoted meanwhile."""


@dataclass(frozen=True)
class Pointer:
    """A small object's content (None when absent) and the generation to pass back to replace it."""

    content: bytes | None
    generation: object
    refused: str | None = None
    """Why the object there cannot be read as a pointer (a symbolic link...), None when it can."""


class ObjectStorage(Protocol):
    location: str
    """Where the store is, for messages: a directory or gs://bucket/prefix."""

    def name(self, key: str) -> str:
        """The object's full name, for messages."""
        ...

    def read(self, key: str) -> bytes:
        """The object's bytes; ObjectMissing if absent, StorageError if it cannot be read."""
        ...

    def create(self, key: str, content: bytes) -> None:
        """Write a new object; ObjectExists if one is there (never overwritten)."""
        ...

    def keys(self, prefix: str = "") -> list[str]:
        """Every object key under `prefix`, sorted (refused ones left out)."""
        ...

    def refused(self, prefix: str = "") -> dict[str, str]:
        """The entries under `prefix` that cannot be objects, with why: each is refused alone."""
        ...

    def remove(self, key: str) -> None:
        """Delete an object (a half-published version's, never a whole version's)."""
        ...

    def pointer(self, key: str) -> Pointer: ...

    def replace(self, key: str, content: bytes, read: Pointer) -> None:
        """Write the pointer if it is still as `read`; PointerConflict otherwise."""
        ...


class LocalStorage:
    """A directory: objects are files, created by hard link (fails if the name exists) so a reader
    sees a whole file or none; the pointer is replaced under an exclusive lock after re-reading it.
    Symbolic links and other non-regular files are refused one by one: a link planted in the store
    must not be served as a model, nor stop the store from being listed."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self.location = str(self.directory)

    def name(self, key: str) -> str:
        return str(self.directory / key)

    def read(self, key: str) -> bytes:
        path = self._path(key)
        try:
            with open(path, "rb", opener=_no_follow) as file:
                return file.read()
        except FileNotFoundError as error:
            raise ObjectMissing(f"{path} is missing") from error
        except OSError as error:
            if error.errno == errno.ELOOP:
                raise ObjectRefused(f"{path} is a symbolic link: refused in a model store") from error
            raise StorageError(f"cannot read {path}: {error.strerror or error}") from error

    def create(self, key: str, content: bytes) -> None:
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with scratch(self.directory) as staging:
                (staging / "object").write_bytes(content)
                os.link(staging / "object", path)
        except FileExistsError as error:
            raise ObjectExists(f"{path} exists (versions are never overwritten)") from error
        except OSError as error:
            raise StorageError(f"cannot write {path}: {error.strerror or error}") from error

    def keys(self, prefix: str = "") -> list[str]:
        return sorted(key for key, why in self._entries(prefix) if why is None)

    def refused(self, prefix: str = "") -> dict[str, str]:
        return {
            key: f"{self.directory / key} is {why}: refused in a model store"
            for key, why in self._entries(prefix)
            if why is not None
        }

    def remove(self, key: str) -> None:
        path = self._path(key)
        try:
            path.unlink(missing_ok=True)
            if path.parent != self.directory and not any(path.parent.iterdir()):
                path.parent.rmdir()
        except OSError as error:
            raise StorageError(f"cannot remove {path}: {error.strerror or error}") from error

    def _entries(self, prefix: str) -> list[tuple[str, str | None]]:
        """Every visible entry under `prefix` and why it cannot be an object (None: a regular file);
        links are not followed."""
        try:
            root = self._path(prefix.rstrip("/")) if prefix.strip("/") else self.directory
        except ObjectRefused:
            return [(prefix.rstrip("/"), "a symbolic link")]
        if self.directory.exists() and not self.directory.is_dir():
            raise StorageError(f"cannot list {self.directory}: not a directory")
        if not root.is_dir():
            return []
        found = []
        for directory, subdirectories, files in os.walk(root):
            here = Path(directory)
            subdirectories[:] = [name for name in subdirectories if not name.startswith(".")]
            for name in [*subdirectories, *files]:
                path = here / name
                if name.startswith(".") or (path.is_dir() and not path.is_symlink()):
                    continue
                mode = path.lstat().st_mode
                why = None if stat.S_ISREG(mode) else "a symbolic link" if stat.S_ISLNK(mode) else "no file"
                found.append((path.relative_to(self.directory).as_posix(), why))
        return found

    def pointer(self, key: str) -> Pointer:
        try:
            content = self.read(key)
        except ObjectMissing:
            content = None
        except ObjectRefused as error:
            return Pointer(None, ("refused", str(error)), str(error))
        return Pointer(content, content)

    def replace(self, key: str, content: bytes, read: Pointer) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path.with_name(f".{path.name}.lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if self.pointer(key).generation != read.generation:
                raise PointerConflict(f"{path} changed since it was read")
            try:
                with scratch(self.directory) as staging:
                    (staging / "object").write_bytes(content)
                    os.replace(staging / "object", path)
            except OSError as error:
                raise StorageError(f"cannot write {path}: {error.strerror or error}") from error

    def _path(self, key: str) -> Path:
        """The file of `key`, refusing a key that leaves the directory or passes through a link."""
        path = self.directory / key
        if ".." in Path(key).parts or Path(key).is_absolute():
            raise StorageError(f"{key!r} is not a key of {self.directory}")
        for parent in [*reversed(path.relative_to(self.directory).parents), Path(key)]:
            if parent != Path(".") and (self.directory / parent).is_symlink():
                raise ObjectRefused(f"{self.directory / parent} is a symbolic link: refused in a model store")
        return path


def _no_follow(path: str, flags: int) -> int:
    return os.open(path, flags | os.O_NOFOLLOW)
