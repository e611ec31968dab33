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


def test_logs_are_plain_text_on_a_terminal_and_json_elsewhere():
    assert gunicorn_env.text_logs({}, terminal=True) and not gunicorn_env.text_logs({}, terminal=False)
    assert not gunicorn_env.text_logs({"CHAOS_LOG_FORMAT": "json"}, terminal=True)
    assert gunicorn_env.text_logs({"CHAOS_LOG_FORMAT": "text"}, terminal=False)
    with pytest.raises(ValueError, match="CHAOS_LOG_FORMAT"):
        gunicorn_env.text_logs({"CHAOS_LOG_FORMAT": "yaml"})
