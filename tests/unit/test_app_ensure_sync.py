"""The app asks once per function whether it is a coroutine function, and answers as Flask does."""

import re

import pytest
from flask import Flask

from chaos.entrypoints.web.app_factory import ChaosFlask


def test_a_plain_function_is_called_as_it_is_and_asked_about_once(monkeypatch):
    app = ChaosFlask(__name__)
    asked = []
    monkeypatch.setattr(Flask, "ensure_sync", lambda self, func: asked.append(func) or func)

    def view():
        return "ok"

    assert app.ensure_sync(view) is view
    assert app.ensure_sync(view) is view
    assert asked == [view]


def test_a_coroutine_function_gets_flask_s_own_answer():
    async def view():
        return "ok"

    try:
        expected: object = Flask(__name__).ensure_sync(view)
    except RuntimeError as error:  # Flask without its async extra
        with pytest.raises(RuntimeError, match=re.escape(str(error))):
            ChaosFlask(__name__).ensure_sync(view)
    else:
        assert ChaosFlask(__name__).ensure_sync(view) is not view
        assert expected is not view
