"""Where a scoring request's CPU goes, stage by stage: `python -m bench.profile <app>`, run by
bench/run.py in a process of its own for the floor and for chaos.

The app answers REQUESTS identical requests through Flask's test client, in process (gunicorn's own
share, the same code for every app, is left out): once unprofiled, timed, and once under
pyinstrument, a sampling profiler with little overhead, whose call tree gives each stage's share. A
stage's figure is its share of the profiled run times the unprofiled time per request. The clock is
the wall clock, as pyinstrument's: a database read counts its wait for PostgreSQL, which CPU time
would not show. Stages are named by the functions that do them; what no stage claims is Flask's
and werkzeug's own work, the test client included. Prints one JSON object.
"""

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from flask import Flask
from pyinstrument import Profiler
from pyinstrument.frame import Frame

REQUESTS = 4_000
WARM_UP = 300

STAGES: dict[str, tuple[tuple[str, str], ...]] = {
    "key check": (("authenticate", "chaos/entrypoints/web/auth.py"),),
    "request id": (("assign", "request_id.py"), ("returned", "request_id.py")),
    "metrics": (
        ("count", "chaos/entrypoints/web/metrics_routes.py"),
        ("start_clock", "chaos/entrypoints/web/metrics_routes.py"),
        ("scores_returned", "chaos/infrastructure/metrics/prometheus.py"),
        ("cache_lookup", "chaos/infrastructure/metrics/prometheus.py"),
        ("socio_eco_read", "chaos/infrastructure/metrics/prometheus.py"),
    ),
    "body read": (("get_data", "werkzeug/wrappers/request.py"),),
    "body parsed and validated": (
        ("parse", "chaos/entrypoints/web/appetence_schema.py"),
        ("loads", "flask/json/provider.py"),
    ),
    "model chosen, query flags": (
        ("chosen_model", "chaos/entrypoints/web/extension.py"),
        ("explain_requested", "chaos/entrypoints/web/explanation.py"),
    ),
    "indicators read (database)": (("as_of", "chaos/infrastructure/db/socio_eco_repository.py"),),
    "indicators looked up (cache)": (("as_of", "chaos/infrastructure/db/cached_socio_eco_repository.py"),),
    "model's log-odds": (("log_odds_one", "chaos/infrastructure/models/artifacts.py"),),
    "calibration looked up": (("calibration", "chaos/domain/calibration.py"),),
    "answer written": (
        ("json_answer", "chaos/entrypoints/web/json_answer.py"),
        ("calibration_used", "chaos/entrypoints/web/calibration_schema.py"),
        ("response", "flask/json/provider.py"),
    ),
    "champion followed": (("follow", "chaos/application/model_registry.py"),),
}
"""Each stage's functions, as (name, end of the file path); a frame inside another of its stage
counts once. The metrics inside other stages are taken out of them (they are nested deeper)."""
REST = "Flask, werkzeug, the test client"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("app", help="module:attribute of the Flask app (chaos's reads its configuration)")
    parser.add_argument("--body", type=Path, required=True, help="the JSON request body")
    parser.add_argument("--key", required=True, help="the API key sent")
    args = parser.parse_args(argv)
    module, _, name = args.app.partition(":")
    app: Flask = getattr(__import__(module, fromlist=[name]), name)
    client = app.test_client()
    headers = {"Authorization": f"Bearer {args.key}", "X-Request-ID": "bench-profile"}
    body = args.body.read_bytes()

    def one() -> None:
        answer = client.post("/appetence", data=body, headers=headers, content_type="application/json")
        if answer.status_code != 200:
            raise RuntimeError(f"{args.app}: POST /appetence answered {answer.status_code} {answer.text}")

    print(json.dumps(stages(one)))
    return 0


def stages(one: Callable[[], None]) -> dict[str, float]:
    """µs per request of each stage (and of the whole request, `total`)."""
    for _ in range(WARM_UP):
        one()
    started = time.perf_counter()
    for _ in range(REQUESTS):
        one()
    total = (time.perf_counter() - started) * 1e6 / REQUESTS
    profiler = Profiler(interval=0.0002)
    with profiler:
        for _ in range(REQUESTS):
            one()
    root = profiler.last_session.root_frame()
    spent = dict.fromkeys(STAGES, 0.0)
    _claim(root, spent, frozenset())
    whole = root.time
    figures = {stage: seconds / whole * total for stage, seconds in spent.items()}
    return figures | {REST: total - sum(figures.values()), "total": total}


def _claim(frame: Frame, spent: dict[str, float], within: frozenset[str], inner: str | None = None) -> None:
    """Add `frame`'s time to its stage unless an ancestor already counted it for the same stage;
    then take it out of the innermost other stage that counted it (`inner`)."""
    stage = _stage_of(frame)
    if stage is not None and stage not in within:
        spent[stage] += frame.time
        if inner is not None:
            spent[inner] -= frame.time
        within, inner = within | {stage}, stage
    for child in frame.children:
        _claim(child, spent, within, inner)


def _stage_of(frame: Frame) -> str | None:
    path = frame.file_path or ""
    for stage, functions in STAGES.items():
        if any(frame.function == name and path.endswith(end) for name, end in functions):
            return stage
    return None


if __name__ == "__main__":
    sys.exit(main())
