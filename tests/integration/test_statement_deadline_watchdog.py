"""The request path's statement deadlines are kept by one watchdog thread, not a thread per statement."""

import threading

import sqlalchemy as sa

from chaos.infrastructure.db.engine import create_engine


def test_many_statements_share_one_watchdog_thread(database_settings):
    engine = create_engine(database_settings, request_path=True)
    try:
        for value in range(30):
            with engine.connect() as connection:
                assert connection.scalar(sa.text("SELECT :v").bindparams(v=value)) == value
    finally:
        engine.dispose()
    watchdogs = [thread for thread in threading.enumerate() if thread.name == "statement-deadlines"]
    assert len(watchdogs) == 1 and watchdogs[0].daemon
