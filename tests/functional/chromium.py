"""Debian's headless Chromium as the tests drive it: offline, a throw-away profile, the DOM on stdout."""

import subprocess
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian's chromium is not installed (.ci/run installs it)"
)


def headless(url: str, profile: Path, *options: str) -> str:
    """Run Chromium on `url` with `options` (default: dump the DOM once scripts ran); its stdout."""
    command = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
        f"--user-data-dir={profile}",
        *(options or ("--dump-dom",)),
        url,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True).stdout
