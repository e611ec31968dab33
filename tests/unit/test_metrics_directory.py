"""A new server forgets the samples of the previous one, but not those its master has already written
while the app was preloaded (the served model's gauge)."""

import os

from chaos.infrastructure.metrics import multiprocess_directory


def test_clearing_keeps_only_the_master_files(tmp_path):
    ours = [tmp_path / f"gauge_max_{os.getpid()}.db", tmp_path / f"counter_{os.getpid()}.db"]
    previous = [tmp_path / "gauge_max_4242.db", tmp_path / "counter_4243.db", tmp_path / "histogram_1.db"]
    for path in ours + previous:
        path.write_bytes(b"samples")
    multiprocess_directory.clear(tmp_path, keep=os.getpid())
    assert sorted(tmp_path.iterdir()) == sorted(ours)
