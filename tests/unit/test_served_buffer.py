"""The served record's buffer: scores are written in bulk off the request path, and what cannot be
kept (a full buffer, a database down) is dropped and counted, never waited for nor raised."""

import os
import threading
from datetime import UTC, date, datetime, timedelta

import pytest

from chaos.application.served_audit import purge_expired, what_was_served
from chaos.application.served_buffer import ServedBuffer
from chaos.domain.served_record import ServedScore
from tests.fakes import InMemoryServedRecord

NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)


def score(contact_id: int, served_at: datetime = NOW, probability: float = 0.25) -> ServedScore:
    return ServedScore(
        contact_id=contact_id,
        contact_date=date(2026, 12, 7),
        model_version="v1",
        calibration_until=date(2026, 12, 6),
        calibration_window_days=28,
        calibration_shift=-0.5,
        calibration_slope=0.9,
        calibration_offset=0.1,
        calibration_stale=False,
        log_odds=-1.2,
        probability=probability,
        key_id="marketing",
        served_at=served_at,
    )


class Drops:
    def __init__(self) -> None:
        self.counted: dict[str, int] = {}

    def __call__(self, reason: str, rows: int) -> None:
        self.counted[reason] = self.counted.get(reason, 0) + rows


def buffer_on(record: InMemoryServedRecord, drops: Drops, capacity: int = 100, batch_rows: int = 10):
    # a flush period far longer than any test: writes happen on a full batch or an explicit flush
    return ServedBuffer(lambda: record, capacity, 3600, batch_rows, on_drop=drops)


def test_offered_scores_are_written_in_bulk_statements_of_batch_rows():
    record, drops = InMemoryServedRecord(), Drops()
    buffer = buffer_on(record, drops, batch_rows=10)
    for contact_id in range(25):
        buffer.offer([score(contact_id)])
    buffer.close()
    assert [s.contact_id for s in record.scores] == list(range(25))
    assert record.appends == 3  # 10 + 10 + 5, not 25 statements
    assert drops.counted == {}


def test_a_full_batch_wakes_the_thread_without_waiting_for_the_period():
    record, drops = InMemoryServedRecord(), Drops()
    buffer = buffer_on(record, drops, batch_rows=5)
    buffer.offer([score(n) for n in range(5)])
    deadline = datetime.now() + timedelta(seconds=10)
    while len(record.scores) < 5 and datetime.now() < deadline:
        threading.Event().wait(0.01)
    assert len(record.scores) == 5
    buffer.close()


def test_scores_beyond_the_capacity_are_dropped_and_counted():
    record, drops = InMemoryServedRecord(), Drops()
    buffer = buffer_on(record, drops, capacity=3, batch_rows=100)
    buffer.offer([score(n) for n in range(5)])
    assert buffer.pending() == 3
    assert drops.counted == {"buffer_full": 2}
    buffer.close()
    assert [s.contact_id for s in record.scores] == [0, 1, 2]


def test_a_database_down_drops_and_counts_without_raising_and_the_thread_lives_on(caplog):
    record, drops = InMemoryServedRecord(), Drops()
    buffer = buffer_on(record, drops)
    record.down = True
    buffer.offer([score(1), score(2)])
    buffer.flush()
    assert drops.counted == {"database_unavailable": 2}
    assert "served records dropped" in caplog.text
    record.down = False
    buffer.offer([score(3)])
    buffer.close()
    assert [s.contact_id for s in record.scores] == [3]


def test_any_other_write_error_is_counted_as_write_failed():
    drops = Drops()

    def broken():
        raise RuntimeError("bug")

    buffer = ServedBuffer(broken, 10, 3600, 10, on_drop=drops)
    buffer.offer([score(1)])
    buffer.close()
    assert drops.counted == {"write_failed": 1}


def test_the_thread_starts_in_the_process_that_offers():
    record, drops = InMemoryServedRecord(), Drops()
    buffer = buffer_on(record, drops)
    assert buffer._thread is None  # nothing started when built (a preloading master forks after)
    buffer.offer([score(1)])
    assert buffer._thread is not None and buffer._thread.is_alive() and buffer._pid == os.getpid()
    buffer.close()
    assert not buffer._thread.is_alive()


def test_the_audit_reads_a_contact_and_the_purge_keeps_the_retention():
    record = InMemoryServedRecord()
    record.append([score(7, NOW - timedelta(days=401)), score(7, NOW - timedelta(days=10)), score(8)])
    assert [s.served_at for s in what_was_served(record, 7)] == [
        NOW - timedelta(days=401),
        NOW - timedelta(days=10),
    ]
    assert what_was_served(record, 7, date(2026, 1, 1)) == []
    assert purge_expired(record, 400, NOW) == 1
    assert [s.served_at for s in what_was_served(record, 7)] == [NOW - timedelta(days=10)]


@pytest.mark.parametrize("contact_id", [0, 2**63 - 1])
def test_scores_of_any_valid_id_pass_through(contact_id):
    record, drops = InMemoryServedRecord(), Drops()
    buffer = buffer_on(record, drops)
    buffer.offer([score(contact_id)])
    buffer.close()
    assert record.scores[0].contact_id == contact_id
