"""This process's id, without a system call.

`os.getpid()` asks the kernel each time (the C library keeps no copy), and what every request runs
compares it with a remembered id to notice that gunicorn forked: the champion's follower and the
served record's thread (given `current` by the composition root), the key watcher, and
prometheus-client before each sample it writes. The id is read once here and again in every child a
fork makes, before the child runs anything else.
"""

import os

_pid = os.getpid()


def _forked() -> None:
    global _pid
    _pid = os.getpid()


os.register_at_fork(after_in_child=_forked)


def current() -> int:
    return _pid
