"""Argument types the sub-commands share, each refusing a bad value with a message that says what
is expected (argparse prints it with the sub-command's usage)."""

import argparse
from datetime import date


def iso_date(text: str) -> date:
    """A calendar day written YYYY-MM-DD."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: write it YYYY-MM-DD") from None
