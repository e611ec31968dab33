"""process_* metrics of every gunicorn process: the master (the answering worker's parent) and each of
its children, told apart by `pid` and `role`."""

import os
import subprocess
import sys

import pytest

from chaos.infrastructure.metrics.processes import GunicornProcesses, children_of

pytestmark = pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="process metrics read /proc (Linux)")


@pytest.fixture
def child():
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    yield process.pid
    process.kill()
    process.wait()


def test_children_are_found_by_their_parent_pid(child):
    assert child in children_of(os.getpid())
    assert os.getpid() not in children_of(os.getpid())


def test_every_process_of_the_server_is_described_with_its_role(child, monkeypatch):
    monkeypatch.setattr(os, "getppid", os.getpid)  # this process stands for gunicorn's master
    families = {family.name: family for family in GunicornProcesses().collect()}
    assert {"process_resident_memory_bytes", "process_cpu_seconds", "process_start_time_seconds"} <= set(
        families
    )
    memory = {sample.labels["pid"]: sample for sample in families["process_resident_memory_bytes"].samples}
    assert memory[str(os.getpid())].labels["role"] == "master"
    assert memory[str(child)].labels["role"] == "worker"
    assert all(sample.value > 0 for sample in memory.values())
    cpu = families["process_cpu_seconds"].samples
    assert {sample.name for sample in cpu} == {"process_cpu_seconds_total"}
