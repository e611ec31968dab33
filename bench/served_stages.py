"""What each stage of a scoring request costs served by gunicorn: chaos at the default TTL, directly,
against copies of it with one stage switched off (bench/ablation.py), and one with all of them off,
in interleaved rounds; a stage's cost is the CPU per request it saves, round by round. The
in-process profile gives the stages' shares where nothing else runs; this gives their cost where
the workers share the machine, which is what the targets measure."""

import statistics
from collections.abc import Callable
from pathlib import Path

from bench import ablation, load
from bench.servers import gunicorn_server

WHOLE = "chaos"
ALL_OFF = "all of them off"


def measure(
    workdir: Path,
    config: Path,
    drive: Callable[[str, list[int]], load.Load],
    rounds: int,
    started: Callable[[list[int]], None],
) -> dict[str, list[float]]:
    """CPU µs per request of chaos and of each ablated copy, per round: `drive(url, roots)` loads
    one, `started(roots)` is told the servers' pids once they answer."""
    variants = {WHOLE: ""} | {name: name for name in ablation.STAGES} | {ALL_OFF: ",".join(ablation.STAGES)}
    servers = {
        name: gunicorn_server(
            f"ablated-{index}",
            workdir,
            app="bench.ablation:app",
            config=config,
            extra={ablation.VARIABLE: off},
        )
        for index, (name, off) in enumerate(variants.items())
    }
    found: dict[str, list[float]] = {name: [] for name in servers}
    try:
        for each in servers.values():
            each.start("/ready")
        started([each.pid for each in servers.values()])
        for number in range(rounds):
            for name in load.in_turn(list(servers), number):
                measured = drive(f"{servers[name].url}/appetence", [servers[name].pid])
                found[name].append(measured.cpu_us_per_request)
    finally:
        for each in servers.values():
            each.stop()
    return found


def section(found: dict[str, list[float]]) -> list[str]:
    whole = found[WHOLE]

    def saved(name: str) -> str:
        savings = [w - x for w, x in zip(whole, found[name], strict=True)]
        return f"{statistics.median(savings):,.0f} ({min(savings):,.0f}–{max(savings):,.0f})"

    labels = {name: stage.label for name, stage in ablation.STAGES.items()} | {ALL_OFF: ALL_OFF}
    return [
        "## What each stage costs served",
        "",
        "chaos at the default TTL, directly, against copies of it with one stage switched off "
        "(bench/ablation.py: the same answer, without that work), in interleaved rounds: CPU µs per "
        "request saved, median of the rounds (lowest–highest). The stages cost more here than in "
        "process: the workers share the caches with nginx, PostgreSQL and the load generator.",
        "",
        "| stage switched off | CPU µs / request | saved |",
        "| --- | ---: | ---: |",
        f"| none | {statistics.median(whole):,.0f} | — |",
        *(
            f"| {labels[name]} | {statistics.median(found[name]):,.0f} | {saved(name)} |"
            for name in found
            if name != WHOLE
        ),
    ]
