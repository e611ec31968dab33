"""`chaos models list|show|history|promote|rollback|keygen`: the configured model store (a directory or
gs://bucket/prefix) from the command line; none of them needs the training or demo extras.

Pods follow the champion pointer within `model.refresh_seconds`, so a promotion or a rollback here
is what production serves shortly after, with no image build and no restart.
"""

import argparse
import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from chaos.entrypoints.cli.extras import command

if TYPE_CHECKING:
    from chaos.application.champion import ChampionChange
    from chaos.domain.model_store import ModelPublisher, ModelStore


def register(commands: argparse._SubParsersAction) -> None:
    models = commands.add_parser(
        "models",
        help="model store: list|show|history|promote|rollback|keygen",
        description="The versions of the configured model store (model.store, else model.directory) "
        "and its champion pointer.",
    )
    actions = models.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="every version, newest first, the champion marked")
    show = actions.add_parser("show", help="a version's metadata, verified against its signed manifest")
    show.add_argument("version")
    for parser in (listing, show):
        parser.add_argument("--json", action="store_true", help="print one JSON document, for scripts")
    command(listing, _list)
    command(show, _show)
    command(actions.add_parser("history", help="every champion change: from, to, when, who, why"), _history)
    promote = actions.add_parser(
        "promote",
        help="make VERSION the champion if the gate passed it against the current champion",
        description="Uses the gate's verdict recorded when VERSION was trained (chaos train --champion, "
        "chaos retrain); --force promotes anyway and is recorded as forced. Refused if another "
        "promotion happened meanwhile.",
    )
    promote.add_argument("version")
    promote.add_argument("--force", action="store_true", help="promote even without a passing gate")
    rollback = actions.add_parser(
        "rollback", help="point the champion back at the previous one (or --to VERSION), no gate"
    )
    rollback.add_argument("--to", metavar="VERSION", help="the version to go back to")
    for parser in (promote, rollback):
        parser.add_argument("--reason", help="why, in words: kept in the history with the operator's name")
    command(promote, _promote)
    command(rollback, _rollback)
    keygen = actions.add_parser(
        "keygen",
        help="write a new Ed25519 signing key and print its public key for model.public_keys",
        description="Writes the private key (PKCS#8 PEM, mode 0600, never overwritten) for the place "
        "that publishes models (model.signing_key_file) and prints the public key to list under "
        "model.public_keys where models are served.",
    )
    keygen.add_argument("file", type=Path)
    command(keygen, _keygen)


def _store() -> "ModelPublisher":
    from chaos import bootstrap
    from chaos.infrastructure.config import load_settings

    return bootstrap.model_publisher(load_settings())


def listing(store: "ModelStore") -> dict:
    """What `list` shows, as data: the store, its champion as proven and why the pointer is refused
    (if it is), every version with its metadata or why it is refused, and the objects refused alone."""
    from chaos.domain.model_store import ModelLoadError

    status = store.champion_status()
    versions = []
    for version in store.versions():
        entry: dict = {"version": version, "champion": version == status.version}
        try:
            entry["metadata"] = _shown(store.metadata(version))
        except ModelLoadError as error:
            entry["problem"] = str(error)
        versions.append(entry)
    return {
        "location": store.location,
        "champion": status.version,
        "champion_problem": status.problem,
        "versions": versions,
        "problems": store.problems(),
    }


def _list(args: argparse.Namespace) -> int:
    with _one_line("list"):
        shown = listing(_store())
    if args.json:
        return _print_json(shown)
    if not shown["versions"]:
        print(f"no model in {shown['location']}")
    for entry in shown["versions"]:
        marker = "*" if entry["champion"] else " "
        if "problem" in entry:
            print(f"{marker} {entry['version']}  REFUSED: {entry['problem']}")
            continue
        metadata = entry["metadata"]
        auc = metadata.get("metrics", {}).get("roc_auc")
        figures = f"holdout ROC AUC {auc:.4f}" if isinstance(auc, float) else "no figures"
        decision = (metadata.get("promotion") or {}).get("decision", "-")
        print(
            f"{marker} {entry['version']}  trained {metadata.get('trained_at')}  {figures}  gate: {decision}"
        )
    if shown["champion_problem"]:
        print(
            f"champion pointer REFUSED, serving {shown['champion'] or 'nothing'}: {shown['champion_problem']}"
        )
    for problem in shown["problems"]:
        print(f"REFUSED: {problem}")
    return 0


def _show(args: argparse.Namespace) -> int:
    with _one_line("show"):
        store = _store()
        metadata = store.metadata(args.version)
        champion = store.champion()
    where, shown = store.where(args.version), _shown(metadata)
    if args.json:
        return _print_json(
            {"version": args.version, "champion": args.version == champion, "where": where, **shown}
        )
    role = " (champion)" if args.version == champion else ""
    print(f"model {args.version}{role} in {where}: signature and files verified")
    _print_json(shown)
    return 0


def _shown(metadata: dict) -> dict:
    """The metadata without its bulky parts (the vocabulary, the backtest's months)."""
    return {key: value for key, value in metadata.items() if key not in ("vocabulary", "backtest")}


def _print_json(document: object) -> int:
    import json

    print(json.dumps(document, indent=2, ensure_ascii=False))
    return 0


def _history(args: argparse.Namespace) -> int:
    with _one_line("history"):
        events = _store().history()
    for event in events:
        if "problem" in event and "to" not in event:
            print(f"REFUSED: {event['object']}: {event['problem']}")
            continue
        refused = f"  REFUSED ({event['object']}: {event['problem']})" if "problem" in event else ""
        print(
            f"{event.get('at')}  {event['from'] or '(none)'} -> {event['to']}  "
            f"{(event.get('decision') or (event.get('promotion') or {}).get('decision') or '-')}  "
            f"by {event.get('user') or 'unknown'} on {event.get('host')}: {event.get('command')}"
            + (f"  ({event['reason']})" if event.get("reason") else "")
            + refused
        )
    return 0


def _promote(args: argparse.Namespace) -> int:
    from chaos.application.champion import promote

    with _one_line("promote"):
        forced = " --force" if args.force else ""
        command = f"chaos models promote {args.version}{forced}"
        return _changed(promote(_store(), args.version, args.force, command, args.reason))


def _rollback(args: argparse.Namespace) -> int:
    from chaos.application.champion import rollback

    with _one_line("rollback"):
        target = f" --to {args.to}" if args.to else ""
        return _changed(rollback(_store(), args.to, f"chaos models rollback{target}", args.reason))


def _changed(change: "ChampionChange") -> int:
    print(f"champion: {change.previous or '(none)'} -> {change.version} ({change.why['decision']})")
    return 0


def _keygen(args: argparse.Namespace) -> int:
    from chaos.infrastructure.models.signing import new_private_key_pem, public_text, read_private_key

    try:
        descriptor = os.open(args.file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as error:
        print(f"chaos models keygen: cannot create {args.file}: {error.strerror}", file=sys.stderr)
        return 1
    with os.fdopen(descriptor, "wb") as file:
        file.write(new_private_key_pem())
    print(f"private key written to {args.file} (model.signing_key_file where models are published)")
    print("add this line under `model:` `public_keys:` where models are served:")
    print(f'  - "{public_text(read_private_key(args.file))}"')
    return 0


@contextlib.contextmanager
def _one_line(action: str) -> Iterator[None]:
    """A refused or failed command as one line on stderr and exit status 1."""
    from chaos.application.champion import ChampionRefused
    from chaos.domain.model_store import ModelLoadError

    try:
        yield
    except (ModelLoadError, ChampionRefused) as error:
        print(f"chaos models {action}: {error}", file=sys.stderr)
        raise SystemExit(1) from None
