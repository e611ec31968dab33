"""The state the pipeline's stand-ins share: one JSON file ($STANDIN_STATE) holding a registry
(reference → digest), each job's local images, and every call, appended in order. A lock makes each
call's read-modify-write whole, as jobs of one stage run at the same time."""

import contextlib
import fcntl
import json
import os
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def state() -> Iterator[dict]:
    path = Path(os.environ["STANDIN_STATE"])
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        current = json.loads(path.read_text()) if path.exists() else {}
        current.setdefault("registry", {})
        current.setdefault("local", {})
        current.setdefault("calls", [])
        yield current
        path.write_text(json.dumps(current, indent=1))


def record(current: dict, tool: str, argv: list[str], **details: object) -> None:
    """One call: the tool, its arguments, the job that made it (CI_JOB_NAME) and what it did."""
    job = os.environ.get("CI_JOB_NAME", "")
    current["calls"].append({"tool": tool, "argv": argv, "job": job, **details})
