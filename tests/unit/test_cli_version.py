"""`chaos --version` prints the version the installed distribution records."""

from importlib.metadata import version

import pytest

from chaos.entrypoints.cli.main import main


def test_the_version_is_the_installed_one(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out == f"chaos {version('chaos')}\n"
