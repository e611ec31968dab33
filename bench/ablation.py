"""chaos's app with some stages of a scoring request switched off, for the bench only: served by
gunicorn beside the real app, it tells what each stage costs where it runs, which the in-process
profile cannot (the workers, nginx, PostgreSQL and the load generator share the machine's caches).

`$CHAOS_BENCH_ABLATE` names the stages off, comma-separated, among STAGES; the functions are
replaced when gunicorn asks for `app`, before it is built, so its hooks and its service take the
replacements. A stage
"off" still answers the same document: scoring and validation return the first request's result
again (the same body comes every time), the checks and metrics do nothing.
"""

import functools
import os
from collections.abc import Callable

VARIABLE = "CHAOS_BENCH_ABLATE"


def _metrics_off() -> None:
    from chaos.entrypoints.web import metrics_routes
    from chaos.infrastructure.metrics import prometheus

    metrics_routes._start = _nothing
    metrics_routes._count = _same
    for name in ("scores_returned", "cache_lookup", "socio_eco_read"):
        setattr(prometheus, name, _nothing)


def _key_check_off() -> None:
    from chaos.entrypoints.web import auth

    auth._authenticate = _nothing


def _request_id_off() -> None:
    from chaos.entrypoints.web import request_id

    request_id._assign = _nothing
    request_id._return = _same


def _scoring_off() -> None:
    from chaos.application.scoring_service import ScoringService

    ScoringService.score_one = _first_answer(ScoringService.score_one)


def _validation_off() -> None:
    from chaos.entrypoints.web.appetence_schema import AppetenceSchema

    AppetenceSchema.parse = _first_answer(AppetenceSchema.parse)


STAGES: dict[str, tuple[str, Callable[[], None]]] = {
    "metrics": ("metrics", _metrics_off),
    "key": ("key check", _key_check_off),
    "request-id": ("request id", _request_id_off),
    "scoring": ("scoring: indicators (cache), model, calibration, their metrics", _scoring_off),
    "validation": ("body parsed and validated", _validation_off),
}
"""name: (what it is, how to switch it off)."""


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


def _switch_off(names: list[str]) -> None:
    unknown = set(names) - STAGES.keys()
    if unknown:
        raise SystemExit(f"{VARIABLE}: unknown stages {sorted(unknown)}; choose among {sorted(STAGES)}")
    for name in names:
        STAGES[name][1]()


@functools.cache
def _ablated_app():
    """The app with the stages of $CHAOS_BENCH_ABLATE switched off, once: a second switch would wrap
    the replacements again."""
    _switch_off([stage for stage in os.environ.get(VARIABLE, "").split(",") if stage])
    from chaos.entrypoints.wsgi import app

    return app


def __getattr__(name: str):
    """`app`, built on first access (what gunicorn asks for); importing this module switches
    nothing off."""
    if name != "app":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return _ablated_app()
