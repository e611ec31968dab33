"""`process_*` metrics (memory, CPU, file descriptors, start time) of every gunicorn process.

prometheus-client's ProcessCollector describes one process and is not multiprocess-aware: under
gunicorn, whichever worker answered a scrape would describe only itself. This collector runs that
same ProcessCollector over the master and each of its workers and labels the samples with `pid`
and `role`, so one scrape shows every process of the pod. Linux only, as ProcessCollector is
(it reads /proc); elsewhere it yields nothing.
"""

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from prometheus_client import Metric, ProcessCollector
from prometheus_client.registry import Collector

PROC = Path("/proc")


class GunicornProcesses(Collector):
    """The answering worker's parent (gunicorn's master) and all of the master's children."""

    def collect(self) -> Iterable[Metric]:
        master = os.getppid()
        roles = {master: "master", **dict.fromkeys(children_of(master), "worker")}
        merged: dict[str, Metric] = {}
        for pid, role in roles.items():
            for family in ProcessCollector(pid=_constant(pid), registry=None).collect():
                into = merged.setdefault(family.name, Metric(family.name, family.documentation, family.type))
                for sample in family.samples:
                    into.add_sample(sample.name, {"pid": str(pid), "role": role}, sample.value)
        return merged.values()


def _constant(pid: int) -> Callable[[], int]:
    return lambda: pid


def children_of(parent: int) -> list[int]:
    """Pids whose parent is `parent`, from /proc/<pid>/stat (field 4, after the command in parentheses)."""
    children = []
    for entry in PROC.iterdir() if PROC.is_dir() else ():
        if not entry.name.isdigit():
            continue
        try:
            after_command = (entry / "stat").read_bytes().rsplit(b")", 1)[1].split()
        except OSError:  # the process ended while we listed /proc
            continue
        if int(after_command[1]) == parent:
            children.append(int(entry.name))
    return sorted(children)
