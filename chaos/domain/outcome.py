"""What became of a call: the bank's five statuses, as its exports and marketing tools spell them.

Only a resolved status is a label. `En Attente` (pending) means nobody knows yet: it is never a
training label and never counts in a calibration window until it resolves. Of the resolved ones,
only `Souscrit` is a subscription; `Refus` (the customer declined), `Absent` (not reached, so no
deposit was opened) and `Suppression` (taken off the campaign, no deposit either) all mean that the
call did not bring a subscription, which is what the appetence predicts.
"""

from enum import StrEnum


class UnknownOutcome(ValueError):
    """A status outside the bank's five; the message lists the allowed ones."""


class Outcome(StrEnum):
    SUBSCRIBED = "Souscrit"
    REFUSED = "Refus"
    ABSENT = "Absent"
    REMOVED = "Suppression"
    PENDING = "En Attente"

    @property
    def resolved(self) -> bool:
        return self is not Outcome.PENDING

    @property
    def subscribed(self) -> bool | None:
        """The label: None while pending (unknown), else whether the customer subscribed."""
        return None if self is Outcome.PENDING else self is Outcome.SUBSCRIBED

    @classmethod
    def parse(cls, text: str) -> "Outcome":
        """A status as exports write it (surrounding spaces trimmed, case kept: labels are exact)."""
        try:
            return cls(text.strip())
        except ValueError:
            allowed = ", ".join(repr(outcome.value) for outcome in cls)
            raise UnknownOutcome(f"unknown outcome {text!r}: one of {allowed}") from None
