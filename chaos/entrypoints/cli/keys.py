"""`chaos keys new`: a fresh API key for a caller, and the line that lets it in with its scopes;
`chaos keys list`: the configured keys by id, with their scopes.

The key is shown once and never stored: only its hash goes into `api.keys` (in Kubernetes, the
config.yml of the Secret), so neither the configuration nor the cluster can leak a usable key. The
list names each key by the id its requests are logged and recorded under (the `Grant`'s, as the
server has it), never by the key or its full hash: it can be pasted in a ticket.
"""

import argparse

from chaos.entrypoints.cli.extras import command
from chaos.infrastructure.api_keys import PLAIN_LINE_SCOPES, Scope, configuration_line, new_key


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("keys", help="manage API keys", description="Manage API keys.")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    fresh = actions.add_parser(
        "new",
        help="print a fresh API key and the line to add under api.keys",
        description="Prints a fresh random API key (give it to the caller) and the line to add to the "
        "configuration's api.keys list, with the key's scopes; the key itself is not stored anywhere.",
    )
    fresh.add_argument(
        "--scope",
        action="append",
        choices=[scope.value for scope in Scope],
        metavar="SCOPE",
        help=f"what the key may do, repeatable: {', '.join(Scope)} "
        f"(default: {', '.join(sorted(PLAIN_LINE_SCOPES))})",
    )
    command(fresh, _new)
    listed = actions.add_parser(
        "list",
        help="print the configured keys' ids and scopes",
        description="Prints each key of the configuration's api.keys: its id (what logs and served "
        "records name) and its scopes; never a key nor its hash. The configuration is found as the "
        "server finds it ($CHAOS_CONFIGURATION_PATH...).",
    )
    listed.add_argument("--json", action="store_true", help="one JSON document: a list of {id, scopes}")
    command(listed, _list)


def _new(args: argparse.Namespace) -> int:
    key = new_key()
    print(f"key: {key}")
    print("add this line under `api:` `keys:` in the configuration (the key itself is not stored):")
    print(f"  - {configuration_line(key, map(Scope, args.scope or PLAIN_LINE_SCOPES))}")
    return 0


def _list(args: argparse.Namespace) -> int:
    import json

    from chaos.infrastructure.config import load_settings

    keys = [
        {"id": grant.id, "scopes": [scope.value for scope in Scope if scope in grant.scopes]}
        for grant in load_settings().api.grants()
    ]
    if args.json:
        print(json.dumps(keys, indent=2))
        return 0
    if not keys:
        print("no keys: api.keys is empty, nobody is let in")
    width = max((len(key["id"]) for key in keys), default=0)
    for key in keys:
        print(f"{key['id']:<{width}}  {', '.join(key['scopes'])}")
    return 0
