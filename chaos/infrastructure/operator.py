"""Who is running this command, for the records that name a person (the champion's history).

Looked for in this order, the first found wins:
1. the environment: $CHAOS_OPERATOR, else $GITLAB_USER_LOGIN (who started the pipeline);
2. the git identity of the working directory (`git config user.email`, else `user.name`);
3. the cloud principal: $CLOUDSDK_CORE_ACCOUNT, else the account of gcloud's active configuration;
4. the login name of the process (a container's user, as a last resort).
"""

import configparser
import getpass
import os
import shutil
import subprocess
from collections.abc import Iterator, Mapping
from pathlib import Path

ENVIRONMENT = ("CHAOS_OPERATOR", "GITLAB_USER_LOGIN")
GIT_KEYS = ("user.email", "user.name")
GIT_SECONDS = 2


def operator(environ: Mapping[str, str] | None = None) -> str:
    """The first name found in the documented order."""
    variables = os.environ if environ is None else environ
    return next(_candidates(variables), None) or _login() or "unknown"


def _candidates(environ: Mapping[str, str]) -> Iterator[str]:
    yield from (environ[name] for name in ENVIRONMENT if environ.get(name))
    yield from (value for key in GIT_KEYS if (value := _git(key)))
    if environ.get("CLOUDSDK_CORE_ACCOUNT"):
        yield environ["CLOUDSDK_CORE_ACCOUNT"]
    if account := _gcloud_account(environ):
        yield account


def _git(key: str) -> str | None:
    git = shutil.which("git")
    if git is None:
        return None
    try:
        found = subprocess.run(
            [git, "config", "--get", key], capture_output=True, text=True, timeout=GIT_SECONDS, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return found.stdout.strip() or None


def _gcloud_account(environ: Mapping[str, str]) -> str | None:
    """The `account` of gcloud's active configuration, read from its files (no process, no network)."""
    directory = Path(environ.get("CLOUDSDK_CONFIG") or Path.home() / ".config" / "gcloud")
    try:
        active = (directory / "active_config").read_text().strip() or "default"
        parser = configparser.ConfigParser()
        parser.read(directory / "configurations" / f"config_{active}")
    except (OSError, configparser.Error):
        return None
    return parser.get("core", "account", fallback=None) or None


def _login() -> str | None:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container's arbitrary user)
        return None
