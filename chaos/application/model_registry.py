"""Which model answers: the default one (pinned version or champion, loaded at start) or the version
named by `?model=`, loaded on first use and kept in a bounded LRU so that callers cycling through
versions cannot exhaust memory (cachetools' LRUCache: the same library as the socio_eco cache).

The default follows the champion: unless a version is pinned, a thread of each worker reads the
champion pointer every `refresh_seconds`, loads and verifies a new champion off the request path,
prepares it (`prepare`: what the first request would otherwise build, e.g. the web's request
schemas), then swaps the default by one reference assignment. A request takes its model once, so
requests already running finish on the old version and none waits for the load. A version that cannot be
served is refused, logged and counted; the served one stays. The thread is started in each worker
after gunicorn's fork (which threads do not survive), by its post_fork hook or else its first request,
once the pointer has been read: a respawned worker never serves the champion its master loaded at
boot if another has been promoted since; `stop` ends it.
"""

import logging
import os
import threading
from collections.abc import Callable
from typing import Any

from cachetools import LRUCache

from chaos.domain.model_store import ModelLoadError, ModelStore, StoreUnavailable
from chaos.domain.scoring import ScoringModel, check_vocabulary

SUMMARY_KEYS = ("trained_at", "model_family", "data", "metrics")
log = logging.getLogger(__name__)


class UnknownModel(LookupError):
    """No servable model of that `version`; the message says why (for the logs: it may name the
    store's files), `versions` what exists."""

    def __init__(self, version: str, reason: str, versions: list[str]):
        super().__init__(reason)
        self.version = version
        self.versions = versions


def servable(model: ScoringModel) -> ScoringModel:
    """`model`, or ValueError when no request could be scored by it."""
    check_vocabulary(model.vocabulary)
    return model


class ModelRegistry:
    def __init__(
        self,
        default: ScoringModel,
        store: ModelStore,
        capacity: int,
        refresh_seconds: float = 0,
        on_swap: Callable[[str, str], None] = lambda old, new: None,
        on_refresh_failure: Callable[[str], None] = lambda reason: None,
        prepare: Callable[[ScoringModel], object] = lambda model: None,
        process_id: Callable[[], int] = os.getpid,
    ):
        """`prepare` readies a model before it serves (ValueError: it cannot); `process_id` tells a
        fork apart, on every request (`follow`)."""
        self.prepare = prepare
        self.process_id = process_id
        self._default = self._servable(default)
        self.store = store
        self._loaded: LRUCache[str, ScoringModel] = LRUCache(maxsize=capacity)
        self._lock = threading.Lock()
        self.refresh_seconds = refresh_seconds
        self.on_swap = on_swap
        self.on_refresh_failure = on_refresh_failure
        self._follower_pid: int | None = None
        self._follower: ChampionFollower | None = None

    @property
    def default(self) -> ScoringModel:
        """The model that answers requests naming no version (the champion, followed)."""
        return self._default

    def follow(self) -> None:
        """Start following the champion in this process, once (called by gunicorn's post_fork and by
        each request: cheap), after reading the pointer: a worker forked from a master that loaded
        an older champion serves the current one from its first answer. Never before gunicorn forks:
        a thread running in the master at fork time could leave a lock held in every worker."""
        if self.refresh_seconds and self._follower_pid != self.process_id():
            self._start_following()

    def refresh(self) -> bool:
        """Follow the champion pointer once: True when the default was swapped to a new champion."""
        current = self._default
        try:
            status = self.store.champion_status()
            if status.problem:
                log.error("champion pointer refused, serving %s: %s", current.version, status.problem)
                self.on_refresh_failure("pointer")
            champion = status.version
            if champion is None or champion == current.version:
                return False
            candidate = self._servable(self.store.load(champion))
        except (ModelLoadError, ValueError) as error:
            log.error("champion not followed, still serving %s: %s", current.version, error)
            self.on_refresh_failure("store" if isinstance(error, StoreUnavailable) else "version")
            return False
        self._default = candidate
        log.info("now serving the champion %s (was %s)", candidate.version, current.version)
        self.on_swap(current.version, candidate.version)
        return True

    def _start_following(self) -> None:
        with self._lock:
            if self._follower_pid == self.process_id():
                return
            self._follower_pid = self.process_id()
            self._follow_once()
            self._follower = ChampionFollower(self._follow_once, self.refresh_seconds)
            self._follower.start()

    def stop(self) -> None:
        """Stop following the champion in this process, and wait for the follower to end."""
        if self._follower is not None:
            self._follower.stop()

    def _follow_once(self) -> None:
        try:
            self.refresh()
        except Exception:  # the thread must outlive any surprise; the served model stays
            log.exception("champion refresh failed")
            self.on_refresh_failure("error")

    def model(self, version: str | None) -> ScoringModel:
        """The default model for None, else that version (UnknownModel if it cannot be served)."""
        default = self.default
        if version is None or version == default.version:
            return default
        with self._lock:
            found = self._loaded.get(version)
        if found is None:
            found = self._load(version)
            with self._lock:
                self._loaded[version] = found
        return found

    def summaries(self) -> dict[str, Any]:
        """Every saved version, newest first, and the default one if it comes from elsewhere; why
        the champion pointer is refused, if it is, and every object of the store refused alone."""
        versions, status = self.store.versions(), self.store.champion_status()
        if self.default.version not in versions:
            versions.insert(0, self.default.version)
        return {
            "models": [
                self._described(version, SUMMARY_KEYS, versions, status.version) for version in versions
            ],
            "champion_problem": status.problem,
            "problems": self.store.problems(),
        }

    def describe(self, version: str, keys: tuple[str, ...] | None = None) -> dict[str, Any]:
        """The version's metadata (only `keys` of it if given) with its role; UnknownModel if absent."""
        return self._described(version, keys, self.store.versions(), self.store.champion())

    def _described(
        self, version: str, keys: tuple[str, ...] | None, listed: list[str], champion: str | None
    ) -> dict[str, Any]:
        default = self.default
        try:
            if version == default.version and version not in listed:
                metadata = dict(default.metadata)
            else:
                metadata = self.store.metadata(version)
            problem = None
        except ModelLoadError as error:
            if version not in listed:
                raise UnknownModel(version, str(error), listed) from error
            metadata, problem = {}, str(error)  # listed, but said to be unreadable: nothing hidden
        kept = {key: value for key, value in metadata.items() if keys is None or key in keys}
        return {
            "version": version,
            "champion": version == champion,
            "default": version == default.version,
            **{key: value for key, value in kept.items() if key != "version"},
            **({"problem": problem} if problem else {}),
        }

    def report(self, version: str) -> bytes:
        """The version's HTML report, checked against its signature; UnknownModel when there is none."""
        try:
            return self.store.report(version)
        except ModelLoadError as error:
            raise UnknownModel(version, str(error), self.store.versions()) from error

    def _servable(self, model: ScoringModel) -> ScoringModel:
        """`model` checked and prepared; ValueError when it cannot serve."""
        self.prepare(servable(model))
        return model

    def _load(self, version: str) -> ScoringModel:
        try:
            return self._servable(self.store.load(version))
        except (ModelLoadError, ValueError) as error:
            raise UnknownModel(version, str(error), self.store.versions()) from error


class ChampionFollower(threading.Thread):
    """Calls `refresh` every `interval` seconds until stopped (a daemon: it never holds a process)."""

    def __init__(self, refresh: Callable[[], None], interval: float):
        super().__init__(name="champion-follower", daemon=True)
        self._refresh = refresh
        self._interval = interval
        self._stopping = threading.Event()

    def run(self) -> None:
        while not self._stopping.wait(self._interval):
            self._refresh()

    def stop(self) -> None:
        """Wake the thread and wait for it to end (from any other thread)."""
        self._stopping.set()
        if self is not threading.current_thread() and self.ident is not None:
            self.join()
