"""`chaos keys new`: a fresh API key for a caller, and the line that lets it in with its scopes.

The key is shown once and never stored: only its hash goes into `api.keys` (in Kubernetes, the
config.yml of the Secret), so neither the configuration nor the cluster can leak a usable key.
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


def _new(args: argparse.Namespace) -> int:
    key = new_key()
    print(f"key: {key}")
    print("add this line under `api:` `keys:` in the configuration (the key itself is not stored):")
    print(f"  - {configuration_line(key, map(Scope, args.scope or PLAIN_LINE_SCOPES))}")
    return 0
