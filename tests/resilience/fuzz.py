"""`make fuzz`: schemathesis against the running demo app, every check on, from its /openapi.json.

Schemathesis generates requests from the published OpenAPI document (valid ones, which must be
accepted, and invalid ones, which must be refused with a documented 4xx) and checks every answer
against the document: status, content type, headers, body schema, and never a 5xx. It was chosen
because the API contract is that document: the fuzzer needs nothing hand-written to cover a new
route. The run's HAR file counts the requests and the 5xx; the JSON report the spec violations.
Two narrow exceptions to "every schema-valid request is accepted" are configured in the repository's
schemathesis.toml, with why.

    python -m tests.resilience.fuzz [--examples N] [--min-cases N]
"""

import argparse
import json
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from chaos.entrypoints.web.auth import EDGE_HEADER
from chaos.infrastructure.api_keys import DEMO_KEY
from tests.resilience.demo_app import demo_app

SCHEMATHESIS = Path(sys.executable).with_name("st")
"""schemathesis's command beside this interpreter (a virtualenv), else on PATH (the pipeline installs
the test tools beside the image's interpreter, not in its virtualenv)."""
CONFIG = Path(__file__).resolve().parents[2] / "schemathesis.toml"
"""The repository's schemathesis settings (also read by a bare `st run` from the repository root)."""


@dataclass(frozen=True)
class FuzzReport:
    cases: int
    requests: int
    server_errors: int
    failures: dict[str, int]  # failure title -> count (5xx included)
    exit_code: int
    output: str

    def describe(self) -> str:
        lines = [
            f"fuzz: {self.cases} test cases, {self.requests} requests, {self.server_errors} answered 5xx",
            f"fuzz: {sum(self.failures.values())} failures"
            + "".join(f"\n  {count} x {title}" for title, count in self.failures.items()),
        ]
        return "\n".join(lines)


def fuzz(url: str, headers: dict[str, str], examples: int, seed: int | None = None) -> FuzzReport:
    """Run `st run` against `url` with at most `examples` cases per operation and every check; each
    request says it came through the public edge, whose API the OpenAPI document describes (off it,
    `/monitoring` is open)."""
    headers = {EDGE_HEADER: "public", **headers}
    with tempfile.TemporaryDirectory(prefix="chaos-fuzz-") as directory:
        report, har = Path(directory) / "report.json", Path(directory) / "requests.har"
        command = [
            str(SCHEMATHESIS) if SCHEMATHESIS.is_file() else "st",
            "--config-file",
            str(CONFIG),
            "run",
            f"{url}/openapi.json",
            "--max-examples",
            str(examples),
            "--no-color",
            "--request-timeout",
            "10",
            "--report",
            "json,har",
            "--report-json-path",
            str(report),
            "--report-har-path",
            str(har),
            "--generation-database",
            "none",
            *(["--seed", str(seed)] if seed is not None else []),
            *(option for name, value in headers.items() for option in ("--header", f"{name}: {value}")),
        ]
        run = subprocess.run(command, capture_output=True, text=True, timeout=1800)
        if not report.is_file():
            raise RuntimeError(f"schemathesis did not run ({run.returncode}):\n{run.stdout}\n{run.stderr}")
        summary = json.loads(report.read_text())
        entries = json.loads(har.read_text())["log"]["entries"] if har.is_file() else []
    statuses = Counter(entry["response"]["status"] for entry in entries)
    failures = {failure["title"]: failure["count"] for failure in summary["failures"]}
    return FuzzReport(
        cases=summary["test_cases"]["generated"],
        requests=len(entries),
        server_errors=sum(count for status, count in statuses.items() if status >= 500),
        failures=failures,
        exit_code=run.returncode,
        output=run.stdout,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=400, help="at most this many cases per operation")
    parser.add_argument("--min-cases", type=int, default=1000, help="fail if fewer cases were generated")
    parser.add_argument("--seed", type=int, help="schemathesis seed, to replay a run")
    args = parser.parse_args()

    with demo_app() as app:
        report = fuzz(app.url, {"Authorization": f"Bearer {DEMO_KEY}"}, args.examples, args.seed)
    print(report.output)
    print(report.describe())
    if report.cases < args.min_cases:
        print(f"fuzz: fewer than {args.min_cases} cases: raise --examples", file=sys.stderr)
        return 1
    return 0 if report.exit_code == 0 and report.server_errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
