"""`chaos monitor`: measure how the served model did once outcomes are known, and keep the figures.
The serving install runs it: every figure, the calibration slope included, is plain numpy."""

import argparse
import sys
from datetime import date

from chaos.application.job_windows import MEASURED_DAYS
from chaos.entrypoints.cli.extras import command


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "monitor",
        help="measure the last days' served answers against their outcomes and record the real performance",
        description="Measures the answers of the last DAYS days that the served record kept, joined with "
        "their contacts' resolved outcomes (a day without a recorded answer: its resolved contacts scored "
        "again as served, with the served model, the indicators of its day and that day's calibration), and "
        "records per model version and day: contacts, Brier and its skill against the observed rate, "
        "calibration-in-the-large and slope, ROC AUC and within-day AUC, and which of the two it measured. "
        "/metrics and /monitoring read them. Run it daily.",
    )
    parser.add_argument(
        "--days",
        type=int,
        default=MEASURED_DAYS,
        help=f"days measured, ending yesterday (default {MEASURED_DAYS})",
    )
    command(parser, _monitor)


def _monitor(args: argparse.Namespace) -> int:
    from chaos import bootstrap
    from chaos.domain.model_store import ModelLoadError
    from chaos.infrastructure.config import load_settings

    if args.days < 1:
        print("chaos monitor: --days must be at least 1", file=sys.stderr)
        return 2
    settings = load_settings()
    try:
        with bootstrap.served_model_monitor(settings) as monitor:
            measures = monitor.run(args.days, date.today())
    except ModelLoadError as error:
        print(f"chaos monitor: {error}", file=sys.stderr)
        return 1
    if not measures:
        print(f"no resolved contact in the last {args.days} days: nothing measured")
    for day in measures:
        skill = "n/a" if day.brier_skill is None else f"{day.brier_skill:+.3f}"
        print(
            f"{day.model_version} {day.day}: {day.contacts} contacts, observed {day.observed_rate:.3f}, "
            f"predicted {day.mean_prediction:.3f}, Brier skill {skill} ({day.source})"
        )
    return 0
