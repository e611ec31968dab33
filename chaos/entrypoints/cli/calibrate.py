"""`chaos calibrate`: compute and store the calibration of each day for every servable model (the use
case is chaos.application.daily_calibration). Needs no extra: the pods' image runs it on a schedule."""

import argparse
import sys
from datetime import UTC, datetime, timedelta

from chaos.application.job_windows import FIRST_RUN_DAYS
from chaos.entrypoints.cli.arguments import iso_date
from chaos.entrypoints.cli.extras import command

FAILED = 1


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "calibrate",
        help="compute and store each day's calibration for every servable model (scheduled job)",
        description="Reads the resolved outcomes of marketing, scores them with every version of "
        "the model store (model.store, else model.directory) and stores, per model and contact "
        "day, the calibration serving reads. "
        "Without dates: every day after the newest calibration stored, to tomorrow (UTC), "
        f"or from {FIRST_RUN_DAYS} days ago for a version with none yet; with one date, the other "
        "defaults to today (--since) or tomorrow (--until).",
    )
    parser.add_argument("--since", type=iso_date, help="first contact day to compute")
    parser.add_argument("--until", type=iso_date, help="last contact day to compute (inclusive)")
    command(parser, _calibrate)


def _calibrate(args: argparse.Namespace) -> int:
    from chaos import bootstrap
    from chaos.application.daily_calibration import days_between
    from chaos.entrypoints.cli.train import progress_printer
    from chaos.infrastructure.config import load_settings

    settings = load_settings()
    today = datetime.now(UTC).date()
    try:
        asked = None
        if args.since or args.until:
            asked = days_between(args.since or today, args.until or today + timedelta(days=1))
    except ValueError as error:
        print(f"chaos calibrate: {error}", file=sys.stderr)
        return 2
    with bootstrap.daily_calibration(settings) as calibration:
        days = asked or calibration.due_days(today)
        run = calibration.run(days, progress_printer())
    for version, calibrations in run.stored.items():
        current = calibrations.get(today) or calibrations[days[-1]]
        state = "STALE" if current.stale else "fresh"
        window = f"{current.window_days} days" if current.window_days else "no window"
        slope = f"slope {current.slope:.3f} on {current.slope_source}" if current.slope_source else "no slope"
        moved = "; MOVED beyond its history" if current.moved else ""
        print(
            f"{version}: {len(calibrations)} days stored; {window}, shift {current.shift:+.3f}, {slope}, "
            f"newest outcome {current.newest_outcome} ({current.outcomes_age_days} days old): {state}{moved}"
        )
    for version, reason in run.unservable.items():
        print(f"chaos calibrate: {version} not calibrated: {reason}", file=sys.stderr)
    return FAILED if run.unservable else 0
