"""The evaluation protocol's split: the holdout is the latest share of all contacts by date, so a
model is always judged on days after those it learned from."""

HOLDOUT_SHARE = 0.2


def holdout_start(contacts: int, holdout_share: float = HOLDOUT_SHARE) -> int:
    """Index of the first holdout contact among `contacts` in date order."""
    return contacts - round(contacts * holdout_share)
