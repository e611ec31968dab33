"""The API keys of the configuration file, followed while serving: adding or revoking a key needs no
restart.

Kubernetes updates a mounted Secret by swapping a symlink (`..data`) to a new folder: the file is
replaced, never written, so a watch on the file itself sees nothing. The file is compared instead by
the `os.stat` of what its path resolves to (device, inode, size, modification time), at most every
`check_seconds`, on the request path: a stat costs microseconds, and no thread has to be started
after gunicorn's fork. A process other than the one that read the keys last reads the file at its
first check whatever its stat says, and a gunicorn worker checks as it is forked: gunicorn answers
SIGHUP by replacing every worker, so SIGHUP re-reads the keys in each one, and with checks off a
worker keeps the keys of its start even if it served nothing before the file changed. A file that
cannot be used (unreadable, invalid YAML, refused by the settings' validation) keeps the previous
keys, logged and counted: a bad edit never locks everyone out. Only `api.keys` is followed; every
other setting is read at start.
"""

import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from chaos.infrastructure import process_id
from chaos.infrastructure.api_keys import Grant, KeyRing
from chaos.infrastructure.config.loader import ConfigurationError, load_settings

log = logging.getLogger(__name__)

APPLIED = "applied"
REFUSED = "refused"

Signature = tuple[int, int, int, int] | None
"""What tells a new file from the one read: (device, inode, size, mtime in ns), None if it is gone."""


def signature(path: Path) -> Signature:
    try:
        status = os.stat(path)  # follows every symlink: the file the Secret's `..data` points to now
    except OSError:
        return None
    return (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns)


class WatchedKeys:
    """The current key ring of `path` (None: built-in settings, nothing to follow)."""

    def __init__(
        self,
        grants: list[Grant],
        path: Path | None,
        check_seconds: float,
        on_reload: Callable[[str], None] = lambda result: None,
        clock: Callable[[], float] = time.monotonic,
        on_grants: Callable[[list[Grant]], None] = lambda grants: None,
    ):
        """`grants` as read from `path` at start; `check_seconds` 0 reads the file again only in a new
        process (after SIGHUP); `on_reload` is told APPLIED or REFUSED for each changed file;
        `on_grants` is told the keys in force, now and at each applied change."""
        self._grants, self._ring = grants, KeyRing(grants)
        self.path, self.check_seconds = path, check_seconds
        self.on_reload, self.on_grants, self.clock = on_reload, on_grants, clock
        on_grants(grants)
        self._seen = None if path is None else signature(path)
        self._reader = process_id.current()
        self._next_check = clock() + check_seconds
        self._lock = threading.Lock()

    def ring(self) -> KeyRing:
        """The keys to check a request against, after reading the file again if it is due and changed."""
        if self.path is not None and self._due() and self._lock.acquire(blocking=False):
            try:
                self._check(self.path)
            finally:
                self._lock.release()
        return self._ring

    def _due(self) -> bool:
        new_process = self._reader != process_id.current()
        return new_process or (self.check_seconds > 0 and self.clock() >= self._next_check)

    def _check(self, path: Path) -> None:
        self._next_check = self.clock() + self.check_seconds
        forced, self._reader = self._reader != process_id.current(), process_id.current()
        now = signature(path)
        if now == self._seen and not forced:
            return
        self._seen = now  # a bad file is reported once, not at every check
        try:
            grants = load_settings(path).api.grants()
        except ConfigurationError as error:
            log.error("api.keys not reloaded, the previous %d keys stay: %s", len(self._grants), error)
            self.on_reload(REFUSED)
            return
        if grants != self._grants:
            self._grants, self._ring = grants, KeyRing(grants)
            ids = ", ".join(grant.id for grant in grants)
            log.info("api.keys reloaded from %s: %d keys (%s)", path, len(grants), ids)
            self.on_grants(grants)
            self.on_reload(APPLIED)
