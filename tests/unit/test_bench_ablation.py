"""The bench's ablated copies switch off what they name, or refuse to start: a stage whose target chaos
renamed fails here, in the unit suite, instead of leaving the stage on in the bench."""

import re
import sys
import types

import pytest

from bench import ablation
from bench.ablation import MissingTarget, Replacement, Stage


@pytest.mark.parametrize("name", ablation.STAGES)
def test_every_name_a_stage_switches_off_exists_in_chaos(name):
    ablation.STAGES[name].check()


@pytest.mark.parametrize(
    ("module", "name", "missing"),
    [
        ("chaos.entrypoints.web.auth", "_no_such_check", "chaos.entrypoints.web.auth._no_such_check"),
        (
            "chaos.entrypoints.web.appetence_schema",
            "AppetenceSchema.no_such_method",
            "chaos.entrypoints.web.appetence_schema.AppetenceSchema.no_such_method",
        ),
        ("chaos.entrypoints.web.no_such_module", "anything", "module chaos.entrypoints.web.no_such_module"),
    ],
)
def test_a_name_that_does_not_exist_fails_loudly_naming_it(module, name, missing):
    with pytest.raises(MissingTarget, match=re.escape(f"{ablation.VARIABLE}: {missing} does not exist")):
        Replacement(module, name, lambda original: None).apply()


@pytest.fixture
def target(monkeypatch):
    """A module with a function and a method to switch off, in place of chaos's."""

    class Service:
        def answer(self):
            return "computed"

    module = types.ModuleType("ablation_target")
    module.check = lambda: "checked"
    module.Service = Service
    monkeypatch.setitem(sys.modules, module.__name__, module)
    return module


def test_a_stage_replaces_functions_and_methods(target, monkeypatch):
    stage = Stage(
        "both",
        (
            Replacement(target.__name__, "check", lambda original: lambda: None),
            Replacement(target.__name__, "Service.answer", lambda original: lambda self: "kept"),
        ),
    )
    monkeypatch.setitem(ablation.STAGES, "both", stage)
    ablation.switch_off(["both"])
    assert (target.check(), target.Service().answer()) == (None, "kept")


def test_nothing_is_switched_off_when_a_name_is_missing(target, monkeypatch):
    original = target.check
    stage = Stage(
        "half",
        (
            Replacement(target.__name__, "check", lambda original: lambda: None),
            Replacement(target.__name__, "renamed", lambda original: lambda: None),
        ),
    )
    monkeypatch.setitem(ablation.STAGES, "half", stage)
    with pytest.raises(MissingTarget, match=re.escape("ablation_target.renamed does not exist")):
        ablation.switch_off(["half"])
    assert target.check is original
