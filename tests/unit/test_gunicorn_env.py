"""The environment variables that place, size and log gunicorn."""

import pytest

from chaos.entrypoints import gunicorn_env


def test_access_log_goes_to_stdout_unless_turned_off():
    assert gunicorn_env.access_log({}) == "-"
    assert gunicorn_env.access_log({"CHAOS_ACCESS_LOG": "on"}) == "-"
    assert gunicorn_env.access_log({"CHAOS_ACCESS_LOG": "off"}) is None


@pytest.mark.parametrize("value", ["", "false", "OFF", "0"])
def test_an_unknown_access_log_value_is_refused_naming_the_variable(value):
    with pytest.raises(ValueError, match="CHAOS_ACCESS_LOG"):
        gunicorn_env.access_log({"CHAOS_ACCESS_LOG": value})
