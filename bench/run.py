"""`make bench`: chaos under gunicorn against a Flask floor, in one run, on a throw-away database.

In a temporary directory: an embedded PostgreSQL with demo data and a model trained by `chaos
train`'s code; chaos served as in production (external-database configuration, a fresh API key,
validation, Prometheus metrics, JSON access logs) once with the socio_eco cache off (TTL 0, a
database read per request) and once with the default TTL, and the floor app (bench/floor.py)
under the same gunicorn settings. Each is loaded directly and through the pod's edge (bench/edge.py:
nginx with TLS, as in production), over several rounds. Within a round, the servers of one path
take turns in slices of a second (SLICE_SECONDS), so that the floor and chaos see the machine as it is in
the same seconds, whatever its speed does meanwhile; each server's CPU time (bench/cpu.py) is read
before its first slice and after its last one's served records are written (an idle server spends
next to nothing meanwhile). The CPU a request costs is the measure the targets are judged on, as the
ratio floor ÷ chaos of the same round and path, median and spread over the rounds; requests per
second and latencies are reported beside it. Everything goes to stdout and bench/results/latest.md.
"""

import argparse
import contextlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path

import sqlalchemy as sa
import yaml

from bench import calibrate_job, capacity, cpu, edge, in_process, load, profile, served, served_stages
from bench.servers import REPOSITORY, WORKERS, gunicorn_server
from bench.verdict import Target
from chaos.application.stored_calibrations import StoredCalibrations
from chaos.application.stores import GivenStores
from chaos.bootstrap import calibration_of, training_on
from chaos.entrypoints.cli.serve import APP
from chaos.entrypoints.web.appetence_schema import EXAMPLE_REQUEST
from chaos.infrastructure.api_keys import key_hash, new_key
from chaos.infrastructure.config.settings import DatabaseSettings, ModelSettings, Settings, SocioEcoSettings
from chaos.infrastructure.db import schema
from chaos.infrastructure.db.calibration_store import SqlCalibrationStore
from chaos.infrastructure.db.embedded import EmbeddedPostgres
from chaos.infrastructure.db.engine import create_engine
from chaos.infrastructure.db.socio_eco_repository import SqlSocioEcoRepository
from chaos.infrastructure.db.tables import marketing
from chaos.infrastructure.demo.seeding import seed_demo
from chaos.infrastructure.models.configured import configured_reader
from harness.network import free_port
from harness.publisher import publisher_settings

RESULTS = Path(__file__).with_name("results") / "latest.md"
JOB_RESULTS = Path(__file__).with_name("results") / "calibrate-job.md"
CAPACITY_RESULTS = Path(__file__).with_name("results") / "capacity.md"
DEMO_ROWS = 20_000
BATCH_HTTP_ROWS = 1_000
COLD_STARTS = 3
SLICE_SECONDS = 1
"""A round's load of each server is cut in slices this long (wrk's shortest), its path's servers
loaded in turn."""
STAGE_ROUNDS = 3
"""Rounds of the served stages' section (bench/served_stages.py), at most."""
DEFAULT_TTL = SocioEcoSettings().cache_ttl_seconds
TTL_0_GOAL = 0.55
"""floor ÷ chaos at TTL 0 (a database read per request, which the floor does not do)."""


@dataclass(frozen=True)
class Plan:
    seconds: float
    rounds: int
    shape: load.Shape = field(default_factory=load.Shape)
    """The load generator, its connections and the cores it is kept on (`shape.cpus`: the servers
    and the database pinned to the others; None: everything shares every core)."""
    breakdown: bool = False
    """Also split a request's CPU by stage (in-process profile, ablated copies served)."""

    @property
    def load_cpus(self) -> set[int] | None:
        return self.shape.cpus

    def describe(self) -> str:
        pinning = (
            f"load generator pinned to CPU {sorted(self.load_cpus)}, servers and database to the others"
            if self.load_cpus
            else "no pinning"
        )
        return f"{self.seconds:g} s per load, {self.rounds} rounds, {pinning}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=4, help="length of each load (default 4)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of loads, medians reported (default 5)")
    parser.add_argument(
        "--load-cpus",
        type=_cpus,
        metavar="LIST",
        help="cores for the load generator, e.g. 1 or 2,3; the servers and the database get the others",
    )
    parser.add_argument(
        "--load",
        choices=load.GENERATORS,
        default=load.Shape().generator,
        help="load generator (default wrk when installed, else python; both reach the TLS edge)",
    )
    parser.add_argument(
        "--breakdown",
        action="store_true",
        help="also split a request's CPU by stage: the in-process profile and the ablated copies served",
    )
    parser.add_argument(
        "--output",
        type=Path,
        help=f"markdown report (default {RESULTS}, or the section's own file with --only)",
    )
    parser.add_argument(
        "--only", choices=sorted(SECTIONS), help="run one section alone (its report goes to its own file)"
    )
    args = parser.parse_args(argv)
    shape = load.Shape(args.load, cpus=args.load_cpus)
    with tempfile.TemporaryDirectory(prefix="chaos-bench-") as directory:
        if args.only:
            title, _, section = SECTIONS[args.only]
            report = "\n".join([f"# chaos benchmark: {title}", "", *section(Path(directory), shape)])
        else:
            report = run(Path(directory), Plan(args.seconds, args.rounds, shape, args.breakdown))
    args.output = args.output or (SECTIONS[args.only][1] if args.only else RESULTS)
    print(report)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(report, encoding="utf-8")
    print(f"written to {args.output}", file=sys.stderr)
    return 0


def _cpus(text: str) -> set[int]:
    cpus = {int(part) for part in text.split(",")}
    available = os.sched_getaffinity(0)
    if not cpus < available:
        raise argparse.ArgumentTypeError(
            f"{text}: give the load cores among {sorted(available)}, leaving at least one to the servers"
        )
    return cpus


def run(workdir: Path, plan: Plan) -> str:
    with _database(workdir) as (settings, postgres):
        return _measure(workdir, settings, plan, postgres)


@contextlib.contextmanager
def _database(workdir: Path) -> Iterator[tuple[Settings, int]]:
    """An embedded PostgreSQL for the run (its settings and pid), stopped at the end."""
    database = DatabaseSettings(embedded=True, data_dir=workdir / "pgdata", port=free_port())
    models = ModelSettings(**publisher_settings(workdir / "models", workdir / "signing.pem"))
    settings = Settings(database=database, model=models)  # served on an external database: not the demo key
    server = EmbeddedPostgres(database)
    postgres = server.start().pid
    try:
        yield settings, postgres
    finally:
        server.stop()


def _seeded(settings: Settings) -> in_process.InProcess:
    """Demo data, a model trained on it and the calibration of its last day: what the servers serve.
    Returns the in-process scoring figures, measured on them."""
    _say(f"seeding {DEMO_ROWS} demo contacts and training the model")
    engine = create_engine(settings.database)
    try:
        schema.upgrade(engine)
        seed_demo(engine, rows=DEMO_ROWS)
        training_on(settings, engine).train(True)
        indicators = SqlSocioEcoRepository(engine)
        month = indicators.as_of(date.today())
        model = configured_reader(settings.model).load()
        _say("scoring in process (the stored calibration of the last demo day, cached as served)")
        day = _last_contact_day(engine)
        calibration_of(settings, engine).run([day], _say)
        calibrations = StoredCalibrations(
            GivenStores(indicators, calibrations=SqlCalibrationStore(engine)), 3600
        )
        return in_process.measure(
            model, in_process.feature_rows(in_process.BATCH_ROWS, month), calibrations, day
        )
    finally:
        engine.dispose()


def _measure(workdir: Path, settings: Settings, plan: Plan, postgres: int) -> str:
    scoring = _seeded(settings)
    key = new_key()
    configs = {ttl: _config(workdir, settings, key, ttl) for ttl in (0, DEFAULT_TTL)}
    _say(f"cold starts to /ready ({COLD_STARTS})")
    cold = []
    for attempt in range(COLD_STARTS):
        probe = gunicorn_server(f"cold-{attempt}", workdir, config=configs[DEFAULT_TTL])
        cold.append(probe.start("/ready").startup_seconds)
        probe.stop()

    bodies = served.Bodies.written(workdir)
    first = bodies.recorded()
    batch = workdir / "campaign.json"
    batch.write_text(json.dumps({"customers": [EXAMPLE_REQUEST] * BATCH_HTTP_ROWS}))
    servers = {}
    for path, extra in (("", {}), (edge.SUFFIX, edge.pod_environment())):
        servers |= {
            "floor" + path: gunicorn_server("floor" + path, workdir, app="bench.floor:app", extra=extra),
            "chaos-ttl-0" + path: gunicorn_server(
                "chaos-ttl-0" + path, workdir, config=configs[0], extra=extra
            ),
            "chaos-ttl-default" + path: gunicorn_server(
                "chaos-ttl-default" + path, workdir, config=configs[DEFAULT_TTL], extra=extra
            ),
        }
    cached = servers["chaos-ttl-default"]
    engine = create_engine(settings.database)
    try:
        for each in servers.values():
            each.start("/ready")
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {key}"}
        for name, each in servers.items():
            answer = each.post("/appetence", data=first.read_bytes(), headers=headers, timeout=30)
            if answer.status_code != 200 or not 0 <= answer.json().get("appetence", -1) <= 1:
                raise RuntimeError(f"{name}: POST /appetence answered {answer.status_code} {answer.text}")
        answer = cached.post("/appetence/batch", data=batch.read_bytes(), headers=headers, timeout=30)
        batch_available = answer.status_code == 200 and answer.json().get("count") == BATCH_HTTP_ROWS
        if not batch_available and answer.status_code != 404:
            raise RuntimeError(f"POST /appetence/batch answered {answer.status_code} {answer.text}")

        loads = {name: [] for name in servers} | {"batch": [], served.UNRECORDED: []}
        behind = {name: each for name, each in servers.items() if name.endswith(edge.SUFFIX)}
        with edge.edges(behind, workdir) as proxies:
            # every chaos load posts a contact id of its own (its rows are counted by it); the floor's
            # body has one too, which it parses and records nowhere
            ids = {name: served.CONTACT_ID + number for number, name in enumerate(servers)}
            targets = {
                name: Endpoint(f"{each.url}/appetence", [each.pid], first) for name, each in servers.items()
            }
            for name, proxy in proxies.items():
                targets[name] = Endpoint(
                    f"{proxy.url}/appetence", [servers[name].pid, proxy.process.pid], first, proxy.certificate
                )
            for name in servers:
                if name.startswith("chaos"):
                    targets[name] = replace(
                        targets[name], body=bodies.recorded(ids[name]), contact_id=ids[name]
                    )
            # the default server again, without a contact id: its scores are not recorded
            targets[served.UNRECORDED] = replace(
                targets["chaos-ttl-default"], body=bodies.single, contact_id=None
            )
            if plan.load_cpus:
                _pin(
                    [postgres, *(pid for target in targets.values() for pid in target.roots)], plan.load_cpus
                )
            _say(f"warming up, then {plan.describe()} ({plan.shape.describe()})")
            rows = served.RowCounter(engine)
            warm = rows.last_id()
            for target in targets.values():
                _drive(target, key, plan.shape, 2)
            rows.settled(warm, {})
            paths = [
                [name for name in servers if not name.endswith(edge.SUFFIX)],
                [name for name in servers if name.endswith(edge.SUFFIX)],
                [served.UNRECORDED],  # alone: it shares its processes with the default server
            ]
            for number in range(plan.rounds):
                _say(f"round {number + 1}/{plan.rounds}")
                for path in load.in_turn(paths, number):
                    together = {name: targets[name] for name in path}
                    for name, found in _measured_together(together, key, plan, number, rows).items():
                        loads[name].append(found)
                if batch_available:
                    batch_target = Endpoint(f"{cached.url}/appetence/batch", [cached.pid], batch)
                    loads["batch"].append(_measured(batch_target, key, plan))
        rss = {name: max(each.worker_rss_mb()) for name, each in servers.items()}
        dropped = sum(
            served.dropped(each.get("/metrics").text)
            for name, each in servers.items()
            if name.startswith("chaos")
        )
    finally:
        engine.dispose()
        for each in servers.values():
            each.stop()
    failed = {
        name: sum(x.failures for x in runs) for name, runs in loads.items() if any(x.failures for x in runs)
    }
    if failed:
        raise RuntimeError(f"some requests were not answered 2xx, figures would be meaningless: {failed}")
    breakdown = _breakdown(workdir, configs, key, bodies.single, plan, postgres) if plan.breakdown else []
    return _report(plan, scoring, statistics.median(cold), loads, rss, batch_available, breakdown, dropped)


@dataclass(frozen=True)
class Endpoint:
    """Where a load goes: the URL, the pids whose process trees serve it (gunicorn's master, then
    nginx's on the edge path), the body posted, the edge's certificate on https, and the contact id
    its scores are recorded under (None: nothing recorded)."""

    url: str
    roots: list[int]
    body: Path
    certificate: Path | None = None
    contact_id: int | None = None


def _drive(target: Endpoint, key: str, shape: load.Shape, seconds: float) -> load.Load:
    return load.drive(target.url, target.body, key, seconds, shape=shape, certificate=target.certificate)


def _measured(target: Endpoint, key: str, plan: Plan) -> load.Load:
    """One load of `target` alone, with the CPU time its serving processes spent per request."""
    return _measured_together({"": target}, key, plan)[""]


def _measured_together(
    targets: dict[str, Endpoint], key: str, plan: Plan, turn: int = 0, rows: "served.RowCounter | None" = None
) -> dict[str, load.Load]:
    """One load of each target (their processes apart), cut in slices of SLICE_SECONDS taken in turn, with
    the CPU time each one's serving processes spent per request. With `rows`, the served records of
    each target with a contact id are counted, and the CPU readings wait for them: a worker's
    flushing thread writes what a load queued up to `served.flush_seconds` after it."""
    before = {name: [cpu.seconds(root) for root in target.roots] for name, target in targets.items()}
    after_id = rows.last_id() if rows else 0
    slices: dict[str, list[load.Load]] = {name: [] for name in targets}
    for piece in range(max(round(plan.seconds / SLICE_SECONDS), 1)):
        for name in load.in_turn(list(targets), turn + piece):
            slices[name].append(_drive(targets[name], key, plan.shape, SLICE_SECONDS))
    results = {name: load.merged(pieces) for name, pieces in slices.items()}
    recorded = {name: target.contact_id for name, target in targets.items() if target.contact_id is not None}
    written = (
        rows.settled(after_id, {contact: results[name].requests for name, contact in recorded.items()})
        if rows and recorded
        else {}
    )
    found = {}
    for name, target in targets.items():
        result = results[name]
        per_request = [
            (cpu.seconds(root) - then) * 1e6 / max(result.requests, 1)
            for root, then in zip(target.roots, before[name], strict=True)
        ]
        found[name] = replace(
            result,
            cpu_us_per_request=sum(per_request),
            edge_cpu_us_per_request=sum(per_request[1:]) if len(target.roots) > 1 else None,
            rows_written=written.get(recorded[name], 0) if rows and name in recorded else None,
        )
    return found


def _pin(roots: list[int], load_cpus: set[int]) -> None:
    """Keep the servers, their workers and the database off the load generator's cores."""
    others = sorted(os.sched_getaffinity(0) - load_cpus)
    for root in roots:
        for process in cpu.tree(root):
            process.cpu_affinity(others)


def _breakdown(
    workdir: Path, configs: dict[float, Path], key: str, body: Path, plan: Plan, postgres: int
) -> list[str]:
    """`--breakdown`: the in-process profile, and what each stage costs served (ablated copies)."""
    _say("what each stage costs served: chaos against copies with a stage switched off")
    stages = served_stages.measure(
        workdir,
        configs[DEFAULT_TTL],
        lambda url, roots: _measured(Endpoint(url, roots, body), key, plan),
        min(plan.rounds, STAGE_ROUNDS),
        lambda pids: _pin([postgres, *pids], plan.load_cpus) if plan.load_cpus else None,
    )
    profiles = _profiles(workdir, configs, key, body)
    return [*_profile_section(profiles), "", *served_stages.section(stages), ""]


def _profiles(workdir: Path, configs: dict[float, Path], key: str, body: Path) -> dict[str, dict[str, float]]:
    """Each app's CPU per request by stage (bench/profile.py), in a process of its own with the
    multiprocess metrics gunicorn gives it."""
    apps = {
        "floor": ("bench.floor:app", {}),
        "chaos-ttl-0": (APP, {"CHAOS_CONFIGURATION_PATH": str(configs[0])}),
        "chaos-ttl-default": (APP, {"CHAOS_CONFIGURATION_PATH": str(configs[DEFAULT_TTL])}),
    }
    found = {}
    for name, (app, variables) in apps.items():
        _say(f"profiling {name} in process")
        metrics = workdir / f"profile-{name}-metrics"
        metrics.mkdir()
        command = [sys.executable, "-m", "bench.profile", app, "--body", str(body), "--key", key]
        environment = os.environ | variables | {"PROMETHEUS_MULTIPROC_DIR": str(metrics)}
        output = subprocess.run(
            command, env=environment, cwd=REPOSITORY, capture_output=True, text=True, check=True
        ).stdout
        found[name] = json.loads(output.splitlines()[-1])
    return found


def _job_section(workdir: Path, shape: load.Shape) -> list[str]:
    """The calibration job's section (bench/calibrate_job.py), dated like the rest."""
    run = calibrate_job.measure(workdir, _say)
    return [
        f"`python -m bench.run --only calibrate-job`, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC.",
        "",
        *calibrate_job.section(run),
    ]


def _capacity_section(workdir: Path, shape: load.Shape) -> list[str]:
    """One pod's capacity (bench/capacity.py) on the run's demo data and model."""
    with _database(workdir) as (settings, postgres):
        _seeded(settings)
        key = new_key()
        config = _config(workdir, settings, key, DEFAULT_TTL)
        body = served.Bodies.written(workdir).recorded()
        found = capacity.measure(workdir, config, key, body, shape, postgres, _say)
    when = f"`python -m bench.run --only capacity`, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC."
    return [when, "", *capacity.section(found)]


def _config(workdir: Path, settings: Settings, key: str, ttl: float) -> Path:
    """A production-shaped configuration: an external database (ours), a real key, the given TTL."""
    database = settings.database.model_dump(mode="json", include={"host", "port", "name", "user"})
    content = {
        "database": database | {"embedded": False},
        "socio_eco": {"cache_ttl_seconds": ttl},
        "model": {
            "directory": str(settings.model.directory),
            "public_keys": list(settings.model.public_keys),
        },
        "api": {"keys": [key_hash(key)]},
    }
    path = workdir / f"config-ttl-{ttl:g}.yml"
    path.write_text(yaml.safe_dump(content))
    return path


def _report(plan, scoring, cold_start, loads, rss, batch_available, breakdown, dropped) -> str:
    def median(name: str, field: str) -> float:
        return statistics.median(getattr(x, field) for x in loads[name])

    def ratio(name: str, path: str = "") -> float:
        """req/s of `name` over the floor's, both on the same path (direct, or through the edge)."""
        return median(name + path, "requests_per_second") / median("floor" + path, "requests_per_second")

    def cpu_ratios(name: str, path: str = "") -> list[float]:
        """Per round, the floor's CPU per request over `name`'s, both on the same path: the cost of
        the floor's request as a share of chaos's (1 when chaos costs no more than the floor)."""
        floor, chaos = loads["floor" + path], loads[name + path]
        return [f.cpu_us_per_request / c.cpu_us_per_request for f, c in zip(floor, chaos, strict=True)]

    def spread(values: list[float], form: str) -> str:
        return f"{statistics.median(values):{form}} ({min(values):{form}}–{max(values):{form}})"

    floor_p99 = median("floor", "p99_ms")
    names = {name: label for name, label in _load_names().items() if name in SERVED}
    http_rows = [
        f"| {label}{', through the edge' if path else ''} | "
        f"{spread([x.cpu_us_per_request for x in loads[name + path]], ',.0f')} | "
        f"{format(median(name + path, 'edge_cpu_us_per_request'), ',.0f') if path else '—'} | "
        f"{spread(cpu_ratios(name, path), '.2f')} | "
        f"{median(name + path, 'requests_per_second'):,.0f} | "
        f"{ratio(name, path):.2f}× | {median(name + path, 'p50_ms'):.2f} | "
        f"{median(name + path, 'p99_ms'):.2f} | "
        f"{median(name + path, 'p99_ms') / median('floor' + path, 'p99_ms'):.2f}× |"
        for path in ("", edge.SUFFIX)
        for name, label in names.items()
    ]
    http_batch = median("batch", "requests_per_second") * BATCH_HTTP_ROWS if batch_available else None
    speedup = scoring.sklearn_us / scoring.compiled_us
    worker_rss = max(rss["chaos-ttl-0"], rss["chaos-ttl-default"])
    targets = [
        Target.of_rounds(
            "default TTL, CPU per request, floor ÷ chaos, direct", cpu_ratios("chaos-ttl-default"), 0.75, "×"
        ),
        Target.of_rounds(
            "TTL 0, CPU per request, floor ÷ chaos, direct", cpu_ratios("chaos-ttl-0"), TTL_0_GOAL, "×"
        ),
        Target.of_rounds(
            "default TTL, CPU per request, floor ÷ chaos, through the edge",
            cpu_ratios("chaos-ttl-default", edge.SUFFIX),
            0.75,
            "×",
        ),
        Target.of_rounds(
            "TTL 0, CPU per request, floor ÷ chaos, through the edge",
            cpu_ratios("chaos-ttl-0", edge.SUFFIX),
            TTL_0_GOAL,
            "×",
        ),
        Target(
            "p99 vs floor p99 (worst of both TTLs)",
            max(median("chaos-ttl-0", "p99_ms"), median("chaos-ttl-default", "p99_ms")) / floor_p99,
            3,
            "×",
            at_least=False,
        ),
        Target("single score with calibration, median", scoring.compiled_us, 50, "µs", at_least=False),
        Target("single score speed-up vs sklearn", speedup, 80, "×"),
        Target("batch in process", scoring.batch_rows_per_second, 200_000, "rows/s"),
        Target("batch over HTTP", http_batch, 20_000, "rows/s"),
        Target("cold start to /ready", cold_start, 3, "s", at_least=False),
        Target("RSS per worker", worker_rss, 150, "MB", at_least=False),
    ]
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPOSITORY, capture_output=True, text=True
    ).stdout.strip()
    batch_http = f"{http_batch:,.0f}" if http_batch is not None else "not available (no batch endpoint)"
    lines = [
        "# chaos benchmark: latest run",
        "",
        f"`make bench`, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit {commit or 'unknown'}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}. gunicorn {WORKERS} sync workers "
        f"per server; load: {plan.shape.describe()}; {plan.describe()}; each path's servers loaded in "
        f"turn in slices of {SLICE_SECONDS:g} s, the paths in a new order each round. "
        "Every request answered 2xx. Each request carries the caller's contact `id` "
        "(chaos records its score as served; the floor parses it). Through the edge: TLS to the pod's "
        "nginx and gunicorn with the pod's settings (bench/edge.py), compared with the floor on the "
        "same path.",
        "",
        "## HTTP, one customer per request",
        "",
        "CPU per request: user + system time of the serving processes (gunicorn's master and workers, and "
        "nginx's on the edge path; not the database, not the load generator) over the load, divided by "
        "the requests answered. Median of the rounds, lowest–highest in brackets; the ratio is the "
        "floor's CPU per request over chaos's, round by round. Requests per second and latencies are "
        "medians.",
        "",
        "| server | CPU µs / request | of which nginx | floor ÷ chaos, CPU | req/s | req/s × floor "
        "| p50 ms | p99 ms | p99 × floor |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        *http_rows,
        "",
        *served.section(loads, _load_names(), dropped),
        "",
        *breakdown,
        "## Scoring",
        "",
        "| measure | figure |",
        "| --- | ---: |",
        f"| one customer, compiled terms in plain Python + cached calibration (served) | "
        f"{scoring.compiled_us:,.1f} µs |",
        f"| one customer, compiled terms alone, without calibration | {scoring.uncalibrated_us:,.1f} µs |",
        f"| one customer, compiled terms as numpy arrays | {scoring.numpy_row_us:,.1f} µs |",
        f"| one customer, scikit-learn pipeline on a one-row frame | {scoring.sklearn_us:,.1f} µs |",
        f"| speed-up of the served path over scikit-learn | {speedup:,.0f}× |",
        f"| batch in process (`predict_many`, {in_process.BATCH_ROWS:,} rows) | "
        f"{scoring.batch_rows_per_second:,.0f} rows/s |",
        f"| batch over HTTP (`POST /appetence/batch`, {BATCH_HTTP_ROWS:,} rows per request) | {batch_http} "
        + ("rows/s |" if http_batch is not None else "|"),
        f"| cold start to `/ready` (median of {COLD_STARTS}) | {cold_start:.2f} s |",
        f"| RSS per worker, chaos (max) / floor | {worker_rss:.0f} MB / {rss['floor']:.0f} MB |",
        "",
        "## Targets",
        "",
        "| target | goal | figure | status |",
        "| --- | --- | ---: | --- |",
        *(target.row() for target in targets),
        "",
        f"`python -m bench.run`, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC.",
    ]
    return "\n".join(lines)


SERVED = ("floor", "chaos-ttl-0", "chaos-ttl-default")
"""The servers of the HTTP table, each on both paths."""


def _load_names() -> dict[str, str]:
    """Each load's name in the report."""
    names = {
        "floor": "floor (Flask, parses the JSON, constant answer)",
        "chaos-ttl-0": "chaos `POST /appetence`, cache TTL 0 (a database read per request)",
        "chaos-ttl-default": f"chaos `POST /appetence`, cache TTL {DEFAULT_TTL:g} s (default)",
    }
    return names | {name + edge.SUFFIX: f"{label}, through the edge" for name, label in names.items()}


def _profile_section(profiles: dict[str, dict[str, float]]) -> list[str]:
    """The in-process profile table (bench/profile.py): µs per request by stage, per app."""
    columns = ("floor", "chaos-ttl-0", "chaos-ttl-default")
    stages = [*profile.STAGES, profile.REST]
    used = [stage for stage in stages if any(round(profiles[name][stage]) for name in columns)]

    def row(label: str, figures: list[float]) -> str:
        return f"| {label} | " + " | ".join(f"{figure:,.0f}" for figure in figures) + " |"

    return [
        "## Where a request's time goes",
        "",
        "The same request answered in process by Flask's test client, profiled with pyinstrument "
        "(bench/profile.py): µs per request by stage, wall clock (a database read counts its wait). "
        "gunicorn's own share (HTTP parsing, sockets, the access log), the same code for every app, is "
        "not in these figures: it is the rest of the CPU per request in the table above.",
        "",
        f"| stage | floor | chaos, TTL 0 | chaos, TTL {DEFAULT_TTL:g} s |",
        "| --- | ---: | ---: | ---: |",
        *(row(stage, [profiles[name][stage] for name in columns]) for stage in used),
        row("**in process, total**", [profiles[name]["total"] for name in columns]),
    ]


def _last_contact_day(engine) -> date:
    with engine.connect() as connection:
        return connection.scalar(sa.select(sa.func.max(marketing.c.date)))


STARTED = time.monotonic()


def _say(message: str) -> None:
    print(f"bench: [{time.monotonic() - STARTED:4.0f} s] {message}", file=sys.stderr, flush=True)


SECTIONS = {
    "calibrate-job": ("calibration job alone", JOB_RESULTS, _job_section),
    "capacity": ("capacity of one pod", CAPACITY_RESULTS, _capacity_section),
}
"""The sections run alone (`--only`): their title, report file and measure."""


if __name__ == "__main__":
    sys.exit(main())
