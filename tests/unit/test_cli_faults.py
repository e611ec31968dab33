"""Every command answers an unreachable database or an unreadable model store with one line on stderr
and a non-zero exit status, never a traceback. The commands are enumerated from the parser's
registry, so a command added later is checked without a line here: a command that reaches neither
must be named in REACHES_NEITHER, where it has to succeed."""

import argparse
import sys
from pathlib import Path

import pytest
import yaml

from chaos.entrypoints.cli.main import leaf_commands, main
from chaos.infrastructure.api_keys import key_hash
from harness.network import free_port
from harness.publisher import publisher_settings

REACHES_NEITHER = {"chaos keys new", "chaos keys list", "chaos models keygen"}
"""Commands that need no database and no model store: they succeed whatever the faults."""
STORE_ONLY = {"chaos models list", "chaos models history"}
"""Commands that read the model store only: they succeed on an empty store whatever the database."""
OPTIONS = {"chaos db import": ["--socio-eco", "socio_eco.csv"]}
"""What a command needs beyond its positional arguments to reach the database at all."""
COMMANDS = [parser.prog for parser in leaf_commands()]
PARSERS = {parser.prog: parser for parser in leaf_commands()}


def argv(parser: argparse.ArgumentParser, where: Path) -> list[str]:
    """The command's words, a sample for each positional and each required option, then OPTIONS."""
    words = parser.prog.split()[1:]
    for action in parser._actions:
        if action.option_strings and not action.required:
            continue
        sample = "1" if action.type is int else str(where / action.dest)
        words += [action.option_strings[0], sample] if action.option_strings else [sample]
    extra = OPTIONS.get(parser.prog, [])
    return words + [str(where / word) if word.endswith(".csv") else word for word in extra]


@pytest.fixture(params=["database", "store"])
def faults(request, tmp_path_factory, monkeypatch) -> Path:
    """A configuration whose database refuses connections and, for `store`, whose model store cannot
    be read at all (a file where its directory should be); the work directory, named after the fault."""
    tmp_path = tmp_path_factory.mktemp(request.param)
    store = tmp_path / "models"
    if request.param == "store":
        store.write_text("not a directory")
    database = {"embedded": False, "host": "127.0.0.1", "port": free_port(), "connect_timeout_seconds": 2}
    config = tmp_path / "config.yml"
    model = {**publisher_settings(store, tmp_path / "signing.pem"), "directory": str(store)}
    model["signing_key_file"] = str(model["signing_key_file"])
    sections = {"database": database, "model": model, "api": {"keys": [key_hash("k")]}}
    config.write_text(yaml.safe_dump(sections))
    (tmp_path / "socio_eco.csv").write_text("date;taux_variation_emploi\n")
    monkeypatch.setenv("CHAOS_CONFIGURATION_PATH", str(config))
    monkeypatch.setenv("CHAOS_BIND", f"127.0.0.1:{free_port()}")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(words: list[str], capsys) -> tuple[int, str]:
    """Status and stderr as the console script gives them (SystemExit's message goes to stderr)."""
    try:
        status = main(words)
    except SystemExit as exited:
        if isinstance(exited.code, str):
            print(exited.code, file=sys.stderr)
            status = 1
        else:
            status = exited.code or 0
    return status, capsys.readouterr().err


@pytest.mark.parametrize("command", COMMANDS)
def test_a_fault_is_one_line_and_a_failure(command, faults, capsys):
    status, err = run(argv(PARSERS[command], faults), capsys)
    if command in REACHES_NEITHER or (faults.name.startswith("database") and command in STORE_ONLY):
        assert status == 0, err
        return
    assert status != 0, err
    assert len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err and "configuration error" not in err, err  # the fault, not the set-up


def test_the_registry_holds_every_command():
    """The enumeration above sees nested commands, so the parametrization is not vacuous."""
    assert {"chaos db status", "chaos models list", "chaos calibrate", "chaos keys new"} <= set(COMMANDS)


def test_a_bad_flag_is_reported_with_the_sub_command_usage(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["models", "list", "--nope"])
    err = capsys.readouterr().err
    assert exited.value.code == 2
    assert err.startswith("usage: chaos models list") and "unrecognized arguments: --nope" in err


def test_config_names_the_file_instead_of_the_variable(tmp_path, monkeypatch, capsys):
    directory = tmp_path / "elsewhere"
    config = tmp_path / "other.yml"
    config.write_text(yaml.safe_dump({"model": {"directory": str(directory)}}))
    monkeypatch.delenv("CHAOS_CONFIGURATION_PATH", raising=False)
    monkeypatch.setenv("CHAOS_CONFIGURATION_PATH", str(tmp_path / "ignored.yml"))
    assert main(["--config", str(config), "models", "list"]) == 0
    assert capsys.readouterr().out == f"no model in {directory}\n"
    with pytest.raises(SystemExit):
        main(["--config", str(tmp_path / "missing.yml"), "models", "list"])
    assert "--config" in capsys.readouterr().err


def test_a_bad_date_says_how_to_write_one(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["calibrate", "--since", "2026-13-01"])
    err = capsys.readouterr().err
    assert exited.value.code == 2 and err.startswith("usage: chaos calibrate")
    assert "'2026-13-01' is not a date: write it YYYY-MM-DD" in err and "fromisoformat" not in err
