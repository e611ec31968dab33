"""CPU time spent by the processes that serve a path: the measure that decides.

Requests per second depend on whatever else a shared machine does; the CPU a request costs the
serving processes depends much less on it. So each load is bracketed by two readings of the user
and system time (/proc, through psutil) of every process under the path's roots: gunicorn's master
and its workers, and on the edge path nginx's master and its workers too. The load generator is
not counted. A worker that exits during the window would take its time with it: gunicorn here
recycles none (no max_requests), and a load is only kept when every request was answered.
"""

import contextlib

import psutil


def tree(root: int) -> list[psutil.Process]:
    """`root` and all its live descendants (a master and its workers)."""
    parent = psutil.Process(root)
    return [parent, *parent.children(recursive=True)]


def seconds(root: int) -> float:
    """User + system CPU seconds used so far by `root` and all its descendants."""
    total = 0.0
    for process in tree(root):
        with contextlib.suppress(psutil.NoSuchProcess):
            times = process.cpu_times()
            total += times.user + times.system
    return total
