"""Labels with a meaning for the business, as the bank's exports spell them."""

YES_LABELS = frozenset({"yes", "oui", "true", "1"})
NO_LABELS = frozenset({"no", "non", "false", "0"})
"""Spellings of yes/no flags accepted on input (compared lower-cased, trimmed)."""
