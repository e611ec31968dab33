"""chaos's app with some stages of a scoring request switched off, for the bench only: served by
gunicorn beside the real app, it tells what each stage costs where it runs, which the in-process
profile cannot (the workers, nginx, PostgreSQL and the load generator share the machine's caches).

`$CHAOS_BENCH_ABLATE` names the stages off, comma-separated, among STAGES; the functions are
replaced when gunicorn asks for `app`, before it is built, so its hooks and its service take the
replacements. A stage "off" still answers the same document: scoring and validation return the first
request's result again (the same body comes every time), the checks and metrics do nothing. A name a
stage replaces that chaos no longer has stops the copy before it serves (MissingTarget, naming it):
a rename must not leave the stage on and its measured cost silently zero.
"""

import functools
import importlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

VARIABLE = "CHAOS_BENCH_ABLATE"


class MissingTarget(AttributeError):
    """A stage names something chaos no longer has: the bench must stop, not measure chaos whole."""


def _nothing(*args, **kwargs) -> None:
    return None


def _same(response):
    return response


def _first_answer(method: Callable) -> Callable:
    """`method` computed once, its first answer returned ever after."""
    kept: list = []

    def again(*args, **kwargs):
        if not kept:
            kept.append(method(*args, **kwargs))
        return kept[0]

    return again


@dataclass(frozen=True)
class Replacement:
    """`module`'s `name` (dotted below the module: `Class.method`) replaced by `by(original)`."""

    module: str
    name: str
    by: Callable[[Any], Any]

    def owner_and_original(self) -> tuple[Any, Any]:
        """Where the name lives and what it holds now; MissingTarget naming it when it does not exist."""
        try:
            owner: Any = importlib.import_module(self.module)
        except ModuleNotFoundError as error:
            if error.name != self.module:
                raise  # the module exists; something it imports does not
            raise self._missing(f"module {self.module} does not exist") from error
        *path, last = self.name.split(".")
        for part in path:
            owner = self._attribute(owner, part)
        return owner, self._attribute(owner, last)

    def _attribute(self, owner: Any, part: str) -> Any:
        try:
            return getattr(owner, part)
        except AttributeError as error:
            raise self._missing(f"{self.module}.{self.name} does not exist") from error

    def apply(self) -> None:
        owner, original = self.owner_and_original()
        setattr(owner, self.name.rpartition(".")[2], self.by(original))

    def _missing(self, what: str) -> MissingTarget:
        return MissingTarget(f"{VARIABLE}: {what}; chaos renamed or removed it, update bench/ablation.py")


def _off(value: Callable[..., Any]) -> Callable[[Any], Any]:
    """A replacement that ignores the original."""
    return lambda original: value


@dataclass(frozen=True)
class Stage:
    label: str
    replacements: tuple[Replacement, ...]

    def check(self) -> None:
        """Every name this stage replaces exists (MissingTarget otherwise); nothing is replaced."""
        for replacement in self.replacements:
            replacement.owner_and_original()


WEB = "chaos.entrypoints.web"
STAGES: dict[str, Stage] = {
    "metrics": Stage(
        "metrics",
        (
            Replacement(f"{WEB}.metrics_routes", "start_clock", _off(_nothing)),
            Replacement(f"{WEB}.metrics_routes", "count", _off(_same)),
            *(
                Replacement("chaos.infrastructure.metrics.prometheus", name, _off(_nothing))
                for name in ("scores_returned", "cache_lookup", "socio_eco_read")
            ),
        ),
    ),
    "key": Stage("key check", (Replacement(f"{WEB}.auth", "authenticate", _off(_nothing)),)),
    "request-id": Stage(
        "request id",
        (
            Replacement(f"{WEB}.request_id", "assign", _off(_nothing)),
            Replacement(f"{WEB}.request_id", "returned", _off(_same)),
        ),
    ),
    "scoring": Stage(
        "scoring: indicators (cache), model, calibration, their metrics",
        (Replacement("chaos.application.scoring_service", "ScoringService.score_one", _first_answer),),
    ),
    "validation": Stage(
        "body parsed and validated",
        (Replacement(f"{WEB}.appetence_schema", "AppetenceSchema.parse", _first_answer),),
    ),
}
"""name: what it is, and the names switched off (each replaced, or its result kept)."""


def switch_off(names: list[str]) -> None:
    """The stages `names` switched off, once every name they replace is known to exist: a rename in
    chaos stops the bench (MissingTarget) instead of measuring a copy with the stage still on."""
    unknown = set(names) - STAGES.keys()
    if unknown:
        raise SystemExit(f"{VARIABLE}: unknown stages {sorted(unknown)}; choose among {sorted(STAGES)}")
    for name in names:
        STAGES[name].check()
    for name in names:
        for replacement in STAGES[name].replacements:
            replacement.apply()


@functools.cache
def _ablated_app():
    """The app with the stages of $CHAOS_BENCH_ABLATE switched off, once: a second switch would wrap
    the replacements again."""
    switch_off([stage for stage in os.environ.get(VARIABLE, "").split(",") if stage])
    from chaos.entrypoints.wsgi import app

    return app


def __getattr__(name: str):
    """`app`, built on first access (what gunicorn asks for); importing this module switches
    nothing off."""
    if name != "app":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return _ablated_app()
