"""Dockerfile and .dockerignore: the runtime stage is what the README and deployment/ expect, the
builder installs the lock and nothing else, hadolint finds nothing, and the build context can hold
neither secrets nor local state."""

import fnmatch
import re

from harness.delivery import REPO, Dockerfile, run, tool


def test_runtime_stage_serves_chaos_with_gunicorn_as_a_non_root_user():
    dockerfile = Dockerfile()
    assert dockerfile.parser.baseimage == "python:3.11-slim"
    (user,) = dockerfile.values("USER")
    assert user.split(":")[0] not in ("0", "root") and user.split(":")[0].isdigit()  # runAsNonRoot checks it
    assert dockerfile.values("EXPOSE") == ["5000"]
    command = dockerfile.cmd
    assert command[0] == "gunicorn"
    assert command[command.index("-c") + 1] == "python:chaos.entrypoints.gunicorn_config"
    assert command[-1] == "chaos.application.server:app"
    assert dockerfile.env["CHAOS_CONFIGURATION_PATH"] == "/secrets/config.yml"


def test_runtime_stage_installs_no_compiler_and_no_sources():
    dockerfile = Dockerfile()
    runs = " ".join(dockerfile.values("RUN"))
    assert "apt-get" not in runs and "gcc" not in runs
    assert [source for source, _ in dockerfile.context_copies()] == []  # no model: pods fetch the champion


def test_hadolint_finds_nothing():
    run(tool("hadolint"), "--failure-threshold", "warning", str(REPO / "Dockerfile"))


def test_dockerignore_keeps_secrets_and_local_state_out_of_the_build_context():
    patterns = _dockerignore()
    for path in (
        ".git/config",
        ".venv/bin/python",
        "var/pgdata/PG_VERSION",
        "config.yml",
        "chaos/infrastructure/config/config.yml",
        "key.json",
        "deployment/sa-key.json",
        "tests/unit/test_as_of.py",
        "chaos/__pycache__/cli.cpython-311.pyc",
        "models/CHAMPION",  # no model in the build context: pods read the bucket
        "signing.pem",
    ):
        assert _ignored(path, patterns), path
    for path in (
        "chaos/application/server.py",
        "pyproject.toml",
        "requirements.lock",
        "chaos/application/gunicorn_config.py",
    ):
        assert not _ignored(path, patterns), path


def _ignored(path: str, patterns: list[str]) -> bool:
    """Docker's rules: the last matching pattern wins, `!` re-includes, `**` spans any number of
    folders, and a pattern matching a folder covers everything under it."""
    parts = path.split("/")
    ignored = False
    for pattern in patterns:
        glob = pattern.removeprefix("!").strip("/").split("/")
        if any(_segments_match(glob, parts[:depth]) for depth in range(1, len(parts) + 1)):
            ignored = not pattern.startswith("!")
    return ignored


def _segments_match(glob: list[str], parts: list[str]) -> bool:
    if not glob:
        return not parts
    if glob[0] == "**":
        return any(_segments_match(glob[1:], parts[skip:]) for skip in range(len(parts) + 1))
    return bool(parts) and fnmatch.fnmatchcase(parts[0], glob[0]) and _segments_match(glob[1:], parts[1:])


def test_the_builder_installs_the_lock_with_its_hashes_then_the_wheel_alone_without_extras():
    runs = " && ".join(Dockerfile().build_runs())
    assert re.search(r"pip install --require-hashes -r requirements\.lock(\s|$)", runs)
    assert re.search(r"pip install --no-deps \S+\.whl(\s|$)", runs)  # a bare wheel: no [train] or [demo]


def test_the_train_target_retrains_as_the_same_non_root_user_with_the_train_lock():
    """`docker build --target train`: the retrain CronJob's image runs `chaos retrain` on the serving
    install plus requirements-train.lock (hashes checked), and the serving image copies nothing of it."""
    train, runtime = Dockerfile(target="train"), Dockerfile()
    assert train.cmd == ["chaos", "retrain"]
    assert train.values("USER") == runtime.values("USER")
    runs = train.build_runs()
    assert runs[: len(runtime.build_runs())] == runtime.build_runs()
    train_lock = re.compile(r"pip install --require-hashes -r requirements-train\.lock(\s|$)")
    assert any(train_lock.search(run) for run in runs)
    assert "requirements-train.lock" not in runtime.build_copies()
    assert not _ignored("requirements-train.lock", _dockerignore())


def _dockerignore() -> list[str]:
    return [line for line in (REPO / ".dockerignore").read_text().splitlines() if line and line[0] != "#"]
