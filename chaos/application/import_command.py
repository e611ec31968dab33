"""Placeholder: registers nothing yet."""

import argparse


def register(actions: argparse._SubParsersAction) -> None:
    del actions
