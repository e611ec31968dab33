"""Importing chaos does nothing: no thread, no file or directory, no app, no metric, no variable of its own.

Every module is imported in a fresh interpreter whose working and temporary directories are
empty, then the interpreter reports what exists. Alembic's migration scripts are left out: they
only run inside Alembic, which is what they are for.
"""

import json
import os
import subprocess
import sys

REPORT = """
import gc, importlib, json, os, pkgutil, sys, threading
import chaos
imported = []
for module in pkgutil.walk_packages(chaos.__path__, "chaos."):
    if not module.name.startswith("chaos.infrastructure.db.migrations"):
        importlib.import_module(module.name)
        imported.append(module.name)
from flask import Flask
from prometheus_client import REGISTRY
print(json.dumps({
    "imported": imported,
    "threads": [thread.name for thread in threading.enumerate()],
    "apps": sum(isinstance(thing, Flask) for thing in gc.get_objects()),
    "metrics": [name for name in REGISTRY._names_to_collectors if name.startswith("chaos")],
    "environment": sorted(name for name in os.environ if name.startswith(("CHAOS", "PROMETHEUS"))),
}))
"""


def test_importing_every_module_starts_creates_and_builds_nothing(tmp_path):
    workdir, scratch = tmp_path / "work", tmp_path / "tmp"
    workdir.mkdir()
    scratch.mkdir()
    environment = {"PATH": "/usr/bin:/bin", "HOME": str(workdir), "TMPDIR": str(scratch)}
    if "PYTHONPATH" in os.environ:  # where this interpreter's libraries are (the test tools beside an image)
        environment["PYTHONPATH"] = os.environ["PYTHONPATH"]
    result = subprocess.run(
        [sys.executable, "-c", REPORT],
        cwd=workdir,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert "chaos.entrypoints.wsgi" in report["imported"]
    assert "chaos.entrypoints.gunicorn_config" in report["imported"]
    assert report["threads"] == ["MainThread"]
    assert report["apps"] == 0
    assert report["metrics"] == []
    assert report["environment"] == []
    assert list(workdir.iterdir()) == []
    assert list(scratch.iterdir()) == []
