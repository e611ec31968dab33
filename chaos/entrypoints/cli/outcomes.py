"""`chaos outcomes`: the reported outcomes by API key. `volumes` lists what each key wrote per UTC day;
`purge` deletes a key's reports and recomputes the calibrations they could have moved (the use case
is chaos.application.report_audit). Run under the owner role: the pods' and the jobs' roles may not
delete a report."""

import argparse
import sys
from datetime import UTC, date, datetime, timedelta

from chaos.entrypoints.cli.extras import command

FAILED = 1
USAGE = 2
DEFAULT_DAYS = 14


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "outcomes",
        help="reported outcomes by API key: list the daily volumes, purge a key's reports",
        description="Every outcome reported through POST /outcomes names the id of the key that sent it.",
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    volumes = actions.add_parser(
        "volumes",
        help="rows each key wrote per UTC day, with how many say subscribed",
        description="Prints, per UTC day and key, the reported outcomes the key last wrote, how many "
        f"are resolved and how many subscribed (default: the last {DEFAULT_DAYS} days). Rows written "
        "before reports named their key show key '-'.",
    )
    _span(volumes)
    command(volumes, _volumes)
    purge = actions.add_parser(
        "purge",
        help="delete a key's reports, then recompute the calibrations they could have moved",
        description="Deletes the reported outcomes KEY_ID wrote (from/to: UTC days written, inclusive; "
        "default all), then stores afresh, for every servable model, each contact day's calibration "
        "that could have read them, up to tomorrow, as `chaos calibrate` does. A contact the bank's "
        "export also holds is known by its export row again.",
    )
    purge.add_argument("--key", required=True, metavar="KEY_ID", help="the key's id (api.keys)")
    _span(purge)
    command(purge, _purge)


def _span(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="first", type=date.fromisoformat, help="first UTC day written")
    parser.add_argument("--to", dest="last", type=date.fromisoformat, help="last UTC day written")


def _volumes(args: argparse.Namespace) -> int:
    from chaos import bootstrap
    from chaos.application.report_audit import report_volumes
    from chaos.domain.repositories import IndicatorsUnavailable
    from chaos.infrastructure.config import load_settings

    today = datetime.now(UTC).date()
    last = args.last or today
    first = args.first or last - timedelta(days=DEFAULT_DAYS - 1)
    try:
        with bootstrap.report_audit(load_settings()) as audit:
            volumes = report_volumes(audit.ledger, first, last)
    except ValueError as error:
        print(f"chaos outcomes volumes: {error}", file=sys.stderr)
        return USAGE
    except IndicatorsUnavailable as error:
        print(f"chaos outcomes volumes: the database cannot be read: {error}", file=sys.stderr)
        return FAILED
    if not volumes:
        print(f"no reported outcome written from {first} to {last}")
        return 0
    print("day         key                rows  resolved  subscribed  rate")
    for volume in volumes:
        rate = f"{volume.subscribed / volume.resolved:.3f}" if volume.resolved else "-"
        print(
            f"{volume.day}  {volume.key_id or '-':<16} {volume.rows:6d}  {volume.resolved:8d}  "
            f"{volume.subscribed:10d}  {rate}"
        )
    return 0


def _purge(args: argparse.Namespace) -> int:
    from chaos import bootstrap
    from chaos.application.report_audit import purge_key
    from chaos.domain.model_store import ModelLoadError
    from chaos.domain.repositories import IndicatorsUnavailable
    from chaos.entrypoints.cli.train import progress_printer
    from chaos.infrastructure.config import load_settings

    if args.first and args.last and args.first > args.last:
        print(f"chaos outcomes purge: --from {args.first} is after --to {args.last}", file=sys.stderr)
        return USAGE
    today = datetime.now(UTC).date()
    try:
        with bootstrap.report_audit(load_settings()) as audit:
            done = purge_key(
                audit.ledger, audit.calibration, args.key, args.first, args.last, today, progress_printer()
            )
    except IndicatorsUnavailable as error:
        print(f"chaos outcomes purge: the database cannot be reached: {error}", file=sys.stderr)
        return FAILED
    except ModelLoadError as error:
        print(
            f"chaos outcomes purge: the reports were deleted but the calibrations were not recomputed: "
            f"{error}; run `chaos calibrate` over the affected days",
            file=sys.stderr,
        )
        return FAILED
    purged = done.purged
    if not purged.rows:
        print(f"no reported outcome of key {args.key!r} to purge")
        return 0
    print(
        f"{purged.rows} reported outcome(s) of key {args.key!r} deleted "
        f"(contact days {purged.first_contact} to {purged.last_contact})"
    )
    if done.run is None:
        print("no calibration could have read them: nothing recomputed")
        return 0
    print(f"calibrations recomputed for {len(done.days)} day(s), {done.days[0]} to {done.days[-1]}")
    for version, reason in done.run.unservable.items():
        print(f"chaos outcomes purge: {version} not calibrated: {reason}", file=sys.stderr)
    return FAILED if done.run.unservable else 0
