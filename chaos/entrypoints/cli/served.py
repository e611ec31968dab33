"""`chaos served`: the served record, what chaos told its callers. `show` prints what was served for
one contact (the audit trail); `purge` removes the records older than `served.retention_days` (a
scheduled job, daily)."""

import argparse
import sys
from datetime import UTC, datetime

from chaos.entrypoints.cli.arguments import iso_date
from chaos.entrypoints.cli.extras import command

UNAVAILABLE = 1


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "served",
        help="what chaos told its callers: show a contact's served scores, purge old records",
        description="Every score requested with the caller's contact id is recorded as served.",
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    show = actions.add_parser(
        "show",
        help="print every score served for a contact",
        description="Prints, oldest first, each score served for CONTACT_ID: when it was served, the "
        "contact date, the model version, the calibration (its window's last day and length, shift, "
        "slope, offset, stale), the model's log-odds, the appetence answered and the API key's id.",
    )
    show.add_argument("contact_id", type=int, metavar="CONTACT_ID", help="the caller's contact id")
    show.add_argument("--date", type=iso_date, help="only the scores for this contact date")
    command(show, _show)
    purge = actions.add_parser(
        "purge",
        help="remove the records older than served.retention_days (run it daily)",
        description="Deletes the served records served more than served.retention_days days ago.",
    )
    command(purge, _purge)


def _show(args: argparse.Namespace) -> int:
    from chaos import bootstrap
    from chaos.application.served_audit import what_was_served
    from chaos.domain.repositories import IndicatorsUnavailable
    from chaos.infrastructure.config import load_settings

    settings = load_settings()
    try:
        with bootstrap.served_record(settings) as record:
            scores = what_was_served(record, args.contact_id, args.date)
    except IndicatorsUnavailable as error:
        print(f"chaos served show: the database cannot be read: {error}", file=sys.stderr)
        return UNAVAILABLE
    on = f" on {args.date}" if args.date else ""
    if not scores:
        print(f"nothing served for contact {args.contact_id}{on}")
        return 0
    print(f"{len(scores)} score(s) served for contact {args.contact_id}{on}:")
    for score in scores:
        window = (
            "no window"
            if score.calibration_window_days is None
            else f"{score.calibration_window_days} days to {score.calibration_until}"
        )
        print(
            f"served {score.served_at.isoformat()} | date {score.contact_date} | "
            f"model {score.model_version} | "
            f"calibration {window}, shift {score.calibration_shift!r}, slope {score.calibration_slope!r}, "
            f"offset {score.calibration_offset!r}{', STALE' if score.calibration_stale else ''} | "
            f"log-odds {score.log_odds!r} | appetence {score.probability!r} | key {score.key_id or '-'}"
        )
    return 0


def _purge(args: argparse.Namespace) -> int:
    from chaos import bootstrap
    from chaos.application.served_audit import purge_expired
    from chaos.domain.repositories import IndicatorsUnavailable
    from chaos.infrastructure.config import load_settings

    settings = load_settings()
    days = settings.served.retention_days
    try:
        with bootstrap.served_record(settings) as record:
            removed = purge_expired(record, days, datetime.now(UTC))
    except IndicatorsUnavailable as error:
        print(f"chaos served purge: the database cannot be written: {error}", file=sys.stderr)
        return UNAVAILABLE
    print(f"{removed} served record(s) older than {days} days removed")
    return 0
