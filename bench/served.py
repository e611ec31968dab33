"""The served record in the bench: the bodies posted (with a caller's contact id, as a campaign tool
sends it, and without), the rows counted in `served_score` around each load, and the report's
section on what recording costs.

Every chaos server of a run writes to the same table, and a worker's thread writes what a load
queued up to `served.flush_seconds` after it. So each recorded load posts a contact id of its own,
the rows are counted by contact among those added since just before the load (the table's ids only
grow), until each count has caught up with its load's requests (or stopped growing), and the
load's CPU is read after that, the write included.
"""

import json
import statistics
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from prometheus_client.parser import text_string_to_metric_families

from chaos.entrypoints.web.appetence_schema import EXAMPLE_REQUEST
from chaos.infrastructure.config.settings import ServedSettings
from chaos.infrastructure.db.tables import served_score

UNRECORDED = "chaos-ttl-default-without-id"
"""The default server loaded with the same customer without a contact id: nothing recorded."""
CONTACT_ID = 41_188
"""The first contact id a load posts; each recorded load has its own, the next ones."""
SETTLE_SECONDS = 2 * ServedSettings().flush_seconds + 1
"""Longest wait for a load's rows: two flushes and the time to write them."""


@dataclass(frozen=True)
class Bodies:
    workdir: Path
    single: Path
    """The customer without a contact id."""

    @classmethod
    def written(cls, workdir: Path) -> "Bodies":
        single = workdir / "customer.json"
        single.write_text(json.dumps(EXAMPLE_REQUEST))
        return cls(workdir, single)

    def recorded(self, contact_id: int = CONTACT_ID) -> Path:
        """The same customer with `contact_id`: each score recorded as served under it."""
        path = self.workdir / f"customer-{contact_id}.json"
        if not path.exists():
            path.write_text(json.dumps({**EXAMPLE_REQUEST, "id": contact_id}))
        return path


class RowCounter:
    """The rows of `served_score`, counted on the bench's own connection."""

    def __init__(self, engine: sa.Engine):
        self.engine = engine

    def last_id(self) -> int:
        """Where the rows to come start: the highest id so far."""
        with self.engine.connect() as connection:
            return connection.scalar(sa.select(sa.func.coalesce(sa.func.max(served_score.c.id), 0)))

    def counts(self, after: int) -> dict[int, int]:
        """Rows by contact id among those added after id `after`."""
        query = (
            sa.select(served_score.c.contact_id, sa.func.count())
            .where(served_score.c.id > after)
            .group_by(served_score.c.contact_id)
        )
        with self.engine.connect() as connection:
            return dict(connection.execute(query).tuples().all())

    def settled(self, after: int, expected: Mapping[int, int]) -> dict[int, int]:
        """`counts(after)` once each contact's has reached `expected` (with nothing expected: once
        they have stopped growing), or none has grown for a flush period (at most SETTLE_SECONDS)."""
        deadline = time.monotonic() + SETTLE_SECONDS
        found, changed = self.counts(after), time.monotonic()
        while time.monotonic() < deadline and (
            not expected or any(found.get(contact, 0) < rows for contact, rows in expected.items())
        ):
            time.sleep(0.05)
            now = self.counts(after)
            if now != found:
                found, changed = now, time.monotonic()
            elif time.monotonic() - changed > ServedSettings().flush_seconds + 0.2:
                break
        return found


def dropped(exposition: str) -> float:
    """Served records a server could not keep, from its /metrics."""
    return sum(
        sample.value
        for family in text_string_to_metric_families(exposition)
        for sample in family.samples
        if sample.name == "chaos_served_records_dropped_total"
    )


def section(loads: dict, names: dict[str, str], dropped_records: float) -> list[str]:
    """What recording costs: the default server's CPU per request with and without a contact id,
    round by round, and the rows each recorded load wrote per second."""
    plain, recorded = loads[UNRECORDED], loads["chaos-ttl-default"]
    ratios = [p.cpu_us_per_request / r.cpu_us_per_request for p, r in zip(plain, recorded, strict=True)]

    def spread(values: list[float], form: str) -> str:
        return f"{statistics.median(values):{form}} ({min(values):{form}}–{max(values):{form}})"

    def row(label: str, runs: list, ratio: str) -> str:
        cpu = spread([x.cpu_us_per_request for x in runs], ",.0f")
        rate = statistics.median(x.requests_per_second for x in runs)
        p99 = statistics.median(x.p99_ms for x in runs)
        return f"| {label} | {cpu} | {ratio} | {rate:,.0f} | {p99:.2f} |"

    def written(name: str) -> str:
        runs = loads[name]
        rates = [x.rows_written / x.seconds for x in runs]
        kept = sum(x.rows_written for x in runs) / sum(x.requests for x in runs)
        return f"| {names[name]} | {spread(rates, ',.0f')} | {kept:.1%} |"

    counted = [name for name, runs in loads.items() if runs and runs[0].rows_written is not None]
    return [
        "## The served record",
        "",
        "Every chaos load above carries the caller's contact `id`, as a campaign tool sends it: each "
        "score is queued in the worker and written to `served_score` with COPY by the worker's thread "
        "(its CPU is the worker's, counted; the database's is not). The default server is loaded in the "
        "same rounds without an id too, nothing recorded:",
        "",
        "| `POST /appetence`, cache TTL default, direct | CPU µs / request | without ÷ with, CPU | req/s "
        "| p99 ms |",
        "| --- | ---: | ---: | ---: | ---: |",
        row("without an id (not recorded)", plain, "1.00"),
        row("with an id (recorded as served)", recorded, spread(ratios, ".2f")),
        "",
        "Rows written to `served_score` per second of load, counted by the load's own contact id among "
        "the rows added since it began, once the workers' threads have written them (median, "
        "lowest–highest round), and as a share of the requests answered; records dropped over the "
        f"run: {dropped_records:,.0f}.",
        "",
        "| load | rows written / s | rows ÷ requests |",
        "| --- | ---: | ---: |",
        *(written(name) for name in counted),
    ]
