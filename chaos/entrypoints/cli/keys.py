"""`chaos keys new`: a fresh API key for a caller, and the line that lets it in.

The key is shown once and never stored: only its hash goes into `api.keys` (in Kubernetes, the
config.yml of the Secret), so neither the configuration nor the cluster can leak a usable key.
"""

import argparse

from chaos.entrypoints.cli.extras import command
from chaos.infrastructure.api_keys import key_hash, new_key


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("keys", help="manage API keys", description="Manage API keys.")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    fresh = actions.add_parser(
        "new",
        help="print a fresh API key and the hash line to add under api.keys",
        description="Prints a fresh random API key (give it to the caller) and the line to add to the "
        "configuration's api.keys list; the key itself is not stored anywhere.",
    )
    command(fresh, _new)


def _new(args: argparse.Namespace) -> int:
    key = new_key()
    print(f"key: {key}")
    print("add this line under `api:` `keys:` in the configuration (the key itself is not stored):")
    print(f'  - "{key_hash(key)}"')
    return 0
