"""`chaos calibrate`: compute and store the calibration of each day for every servable model (the use
case is chaos.application.daily_calibration). Needs no extra: the pods' image runs it on a schedule."""

import argparse
import sys
from datetime import UTC, date, datetime

from chaos.entrypoints.cli.extras import command

FAILED = 1


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "calibrate",
        help="compute and store each day's calibration for every servable model (scheduled job)",
        description="Reads the resolved outcomes of marketing, scores them with every version of "
        "the model store (model.store, else model.directory) and stores, per model and contact "
        "day, the calibration serving reads. "
        "Without dates: today and tomorrow (UTC).",
    )
    parser.add_argument("--since", type=date.fromisoformat, help="first contact day to compute")
    parser.add_argument("--until", type=date.fromisoformat, help="last contact day to compute (inclusive)")
    command(parser, _calibrate)


def _calibrate(args: argparse.Namespace) -> int:
    from chaos import bootstrap
    from chaos.application.daily_calibration import days_between, default_days
    from chaos.domain.model_store import ModelLoadError
    from chaos.entrypoints.cli.train import progress_printer
    from chaos.infrastructure.config import load_settings

    settings = load_settings()
    today = datetime.now(UTC).date()
    defaults = default_days(today)
    try:
        days = days_between(args.since or defaults[0], args.until or defaults[-1])
    except ValueError as error:
        print(f"chaos calibrate: {error}", file=sys.stderr)
        return 2
    try:
        with bootstrap.daily_calibration(settings) as calibration:
            run = calibration.run(days, progress_printer())
    except ModelLoadError as error:
        print(f"chaos calibrate: {error}", file=sys.stderr)
        return FAILED
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
