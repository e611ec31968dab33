"""The served record's write path, off the request path: scores are queued in memory and a
background thread appends them in bulk.

A score is never failed nor slowed by its record: `offer` only appends to a bounded list under a
lock. What cannot be kept is dropped and counted, never silently: a full buffer (`buffer_full`), a
database that refuses the write (`database_unavailable`), any other write error (`write_failed`),
each reported to `on_drop` and logged. The thread starts in the process that serves (after a fork,
never before) and `close` writes what is queued when the process exits.
"""

import atexit
import logging
import os
import threading
from collections.abc import Callable, Sequence

from chaos.domain.repositories import IndicatorsUnavailable
from chaos.domain.served_record import ServedRecord, ServedScore

logger = logging.getLogger("chaos.served")


class ServedBuffer:
    def __init__(
        self,
        record: Callable[[], ServedRecord],
        capacity: int,
        flush_seconds: float,
        batch_rows: int,
        on_drop: Callable[[str, int], None],
        on_written: Callable[[int], None] = lambda rows: None,
        process_id: Callable[[], int] = os.getpid,
    ):
        """`record` is called in the flushing thread (the store is built where it is used);
        at most `capacity` scores wait; a flush happens every `flush_seconds`, or as soon as
        `batch_rows` wait, and writes at most `batch_rows` per statement; `process_id` tells a fork
        apart, at every offer."""
        self.record = record
        self.capacity = capacity
        self.flush_seconds = flush_seconds
        self.batch_rows = batch_rows
        self.on_drop = on_drop
        self.on_written = on_written
        self.process_id = process_id
        self._lock = threading.Lock()
        self._pending: list[ServedScore] = []
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._pid: int | None = None

    def offer(self, scores: Sequence[ServedScore]) -> None:
        """Queue `scores`; those beyond the capacity are dropped and counted. Never raises."""
        if not scores:
            return
        with self._lock:
            self._started()
            room = max(self.capacity - len(self._pending), 0)
            self._pending.extend(scores[:room])
            full = len(self._pending) >= self.batch_rows
        if full:
            self._wake.set()
        if len(scores) > room:
            self._dropped("buffer_full", len(scores) - room)

    def pending(self) -> int:
        with self._lock:
            return len(self._pending)

    def flush(self) -> None:
        """Write everything queued now, in statements of at most `batch_rows` scores."""
        with self._lock:
            taken, self._pending = self._pending, []
        for start in range(0, len(taken), self.batch_rows):
            chunk = taken[start : start + self.batch_rows]
            try:
                self.record().append(chunk)
            except IndicatorsUnavailable as error:
                self._dropped("database_unavailable", len(chunk), str(error))
            except Exception as error:  # a bug or a constraint: counted and logged, the thread lives on
                logger.exception("served record write failed")
                self._dropped("write_failed", len(chunk), type(error).__name__)
            else:
                self.on_written(len(chunk))

    def close(self, timeout: float = 10.0) -> None:
        """Stop the thread and write what is queued (at worker exit)."""
        self._stop.set()
        self._wake.set()
        thread = self._thread
        if thread is not None and thread.is_alive() and thread is not threading.current_thread():
            thread.join(timeout)
        self.flush()

    def _started(self) -> None:
        """The flushing thread of this process (called under the lock): a fork inherits no thread,
        so a child starts its own; what the parent had queued is not the child's to write."""
        if self._pid == self.process_id():
            return
        if self._pid is not None:
            self._pending = []
        self._pid = self.process_id()
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="served-record", daemon=True)
        self._thread.start()
        atexit.register(self.close)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.flush_seconds)
            self._wake.clear()
            self.flush()

    def _dropped(self, reason: str, rows: int, detail: str = "") -> None:
        self.on_drop(reason, rows)
        logger.warning(
            "served records dropped",
            extra={"reason": reason, "rows": rows, **({"detail": detail} if detail else {})},
        )
