"""The champion pointer as a signed statement, chained like TUF's metadata: what every pod follows is
itself signed, so a pointer written by hand, forged or replayed is refused.

`CHAMPION` holds one statement, signed with the publisher's key in signing.py's envelope: the
version, a sequence that only grows, the sha256 of the statement it replaces (`previous`), when,
who, the command and why. Each statement is also kept create-only as `history/<sequence>.json`, so
the history is the chain itself: an edited entry fails its signature, a removed one breaks the link.

A reader follows a statement only if a trusted key signed it and it is not older than what it knows
(the statement it last followed, and the newest one recorded in the history); otherwise it keeps
the newest statement it can prove and says why the pointer was refused.
"""

import hashlib
import json
import re
from dataclasses import dataclass

from chaos.infrastructure.models.signing import SignatureError, Verifier
from chaos.infrastructure.models.storage import ObjectRefused, ObjectStorage, Pointer, StorageError

KIND = "champion"
HISTORY = "history/"
_ENTRY = re.compile(r"^history/(\d{9})\.json$")
RESIGN = "re-sign it with `chaos models promote VERSION` (docs/operations.md)"
UNSIGNED_HISTORY = "recorded before champion changes were signed"


class PointerRefused(ValueError):
    """A pointer or history entry that is not a champion statement signed by a trusted key."""


def entry_key(sequence: int) -> str:
    """The history object keeping the statement of this sequence."""
    return f"{HISTORY}{sequence:09d}.json"


def entry_sequence(key: str) -> int | None:
    """The sequence a history key names, None for an entry recorded before statements were signed."""
    found = _ENTRY.match(key)
    return int(found.group(1)) if found else None


def digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


@dataclass(frozen=True)
class Statement:
    """A verified champion statement and its exact bytes (what the next one chains to)."""

    content: bytes
    fields: dict

    @property
    def version(self) -> str:
        return str(self.fields["to"])

    @property
    def sequence(self) -> int:
        return int(self.fields["sequence"])

    @property
    def previous(self) -> str | None:
        return self.fields.get("previous")

    @property
    def digest(self) -> str:
        return digest(self.content)


def statement(content: bytes, verifier: Verifier) -> Statement:
    """The champion statement in `content`; PointerRefused when it is unsigned, forged or malformed."""
    try:
        fields = verifier.verify(content)
    except SignatureError as error:
        raise PointerRefused(f"not a signed champion statement: {error}") from error
    sequence = fields.get("sequence")
    if (
        fields.get("kind") != KIND
        or not isinstance(fields.get("to"), str)
        or not isinstance(sequence, int)
        or isinstance(sequence, bool)
        or sequence < 1
    ):
        raise PointerRefused("signed, but not a champion statement (kind, to, sequence)")
    return Statement(content, fields)


@dataclass(frozen=True)
class ChampionRead:
    """The pointer as read (its generation for a conditional replace), the statement followed and why
    the pointer itself was refused, if it was."""

    pointer: Pointer
    followed: Statement | None
    recorded: Statement | None
    problem: str | None

    @property
    def text(self) -> str | None:
        """The champion's version: the statement followed."""
        return self.followed.version if self.followed else None

    @property
    def next_sequence(self) -> int:
        known = [found.sequence for found in (self.followed, self.recorded) if found is not None]
        return max(known, default=0) + 1


def judged(
    pointer: Pointer, recorded: Statement | None, floor: Statement | None, verifier: Verifier
) -> ChampionRead:
    """Which statement to follow: the pointer's if it is signed and not older than the `floor` (the
    one this process last followed) nor than the newest `recorded` in the history; else the newest
    of those two, with the reason."""
    known = max((found for found in (floor, recorded) if found), key=_sequence, default=None)
    if pointer.refused is not None:
        return ChampionRead(pointer, known, recorded, f"CHAMPION refused: {pointer.refused}; {RESIGN}")
    if pointer.content is None:
        return ChampionRead(pointer, known, recorded, None if known is None else "CHAMPION is missing")
    try:
        current = statement(pointer.content, verifier)
    except PointerRefused as error:
        return ChampionRead(pointer, known, recorded, f"CHAMPION refused: {error}; {RESIGN}")
    for other, what in ((floor, "the one served"), (recorded, "the newest in history/")):
        if other is None:
            continue
        if current.sequence < other.sequence:
            problem = f"sequence {current.sequence} is older than {what} ({other.sequence}): replayed"
            return ChampionRead(pointer, known, recorded, f"CHAMPION refused: {problem}")
        if current.sequence == other.sequence and current.content != other.content:
            problem = f"sequence {current.sequence} differs from {what}"
            return ChampionRead(pointer, known, recorded, f"CHAMPION refused: {problem}")
    if recorded and current.sequence == recorded.sequence + 1 and current.previous != recorded.digest:
        problem = f"sequence {current.sequence} does not chain to history/ entry {recorded.sequence}"
        return ChampionRead(pointer, known, recorded, f"CHAMPION refused: {problem}")
    return ChampionRead(pointer, current, recorded, None)


class ChampionHistory:
    """A store's `history/` read as the chain of signed statements."""

    def __init__(self, storage: ObjectStorage, verifier: Verifier):
        self.storage = storage
        self.verifier = verifier

    def newest(self) -> Statement | None:
        """The signed statement of the highest sequence (entries that are not one are skipped)."""
        sequenced = [key for key in self.storage.keys(HISTORY) if entry_sequence(key) is not None]
        for key in sorted(sequenced, reverse=True):
            try:
                return statement(self.storage.read(key), self.verifier)
            except (ObjectRefused, PointerRefused):
                continue
        return None

    def events(self) -> list[dict]:
        """Every entry, newest first, checked: signed by a trusted key and chained to the one before;
        what is not says why under `problem` (an entry edited by hand, removed, a link...)."""
        keys, refused = self.storage.keys(HISTORY), self.storage.refused(HISTORY)
        events, previous = [], None
        for key in sorted(keys, key=lambda key: entry_sequence(key) or 0):  # unsigned entries first
            event, found = self._entry(key)
            if found is not None:
                if previous is not None and found.previous != previous.digest:
                    event["problem"] = f"does not chain to the entry of sequence {previous.sequence}"
                previous = found
            events.append(event)
        events += [{"object": self.storage.name(key), "problem": why} for key, why in refused.items()]
        return sorted(events, key=_newest_first, reverse=True)

    def _entry(self, key: str) -> tuple[dict, Statement | None]:
        """The entry as an event, and its statement when it is a signed one."""
        name = self.storage.name(key)
        try:
            content = self.storage.read(key)
        except StorageError as error:
            return {"object": name, "problem": str(error)}, None
        try:
            found = statement(content, self.verifier)
        except PointerRefused as error:
            event = _json_object(content)
            if entry_sequence(key) is None and "manifest" not in event:
                return {**event, "object": name, "problem": UNSIGNED_HISTORY}, None
            return {"object": name, "problem": str(error)}, None
        return {**found.fields, "object": name}, found


def _sequence(found: Statement) -> int:
    return found.sequence


def _newest_first(event: dict) -> tuple[str, int]:
    return str(event.get("at", "")), int(event.get("sequence") or 0)


def _json_object(content: bytes) -> dict:
    """`content` as a JSON object, or {} when it is not one (binary, truncated...)."""
    try:
        found = json.loads(content)
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}
