"""The rows of a JSON list body (`{"customers": [...]}`, `{"outcomes": [...]}`), one at a time, as its
bytes arrive.

`json.loads` of a 10 MiB body of millions of tiny values builds them all (hundreds of MB) before
anything can be counted. ijson (yajl's C parser) emits the document as events instead, so the
caller counts rows as they come and stops at its limit, and the shape is enforced while reading:
the envelope holds its list only, and a row is one object of at most MAX_ROW_FIELDS single values,
never a nested list or object, whatever its size.
"""

from collections.abc import Iterable, Iterator
from itertools import chain
from typing import Any

import ijson

from chaos.entrypoints.web.appetence_schema import InvalidFields, InvalidJson

MAX_ROW_FIELDS = 100
"""More fields than any row has (about 15): a row beyond this is refused without reading on."""
_CONTAINERS = ("start_map", "start_array")


def rows(chunks: Iterable[bytes], field: str = "customers", row: str = "customer") -> Iterator[Any]:
    """Each element of the list `field` as a dict of scalars (or the scalar it is, for the validator
    to refuse); `row` names one in messages. Raises InvalidJson for malformed JSON, InvalidFields for
    a document of another shape."""
    events = _events(chunks)
    envelope = f'{{"{field}": [...]}}'
    if next(events, (None, None))[0] != "start_map":
        raise _shape("body", f"must be an object {envelope}")
    seen = False
    for event, key in events:
        if event == "end_map":
            break
        if key != field or seen:
            raise _shape(key, f"unknown field; the body is {envelope}")
        seen = True
        if next(events)[0] != "start_array":
            raise _shape(field, f"must be a list of {field}")
        yield from _rows(events, row)
    if not seen:
        raise _shape(field, f"missing: the body is {envelope}")
    for _ in events:  # nothing may follow the document
        raise InvalidJson("extra data after the document")


def _rows(events: Iterator[tuple[str, Any]], name: str) -> Iterator[Any]:
    for row, (event, value) in enumerate(events):
        if event == "end_array":
            return
        if event == "start_map":
            yield _row(events, row, name)
        elif event == "start_array":
            raise _shape(name, "must be an object of fields, not a list", row=row)
        else:
            yield value


def _row(events: Iterator[tuple[str, Any]], row: int, name: str) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for event, key in events:
        if event == "end_map":
            return fields
        if len(fields) == MAX_ROW_FIELDS:
            raise _shape(name, f"more than {MAX_ROW_FIELDS} fields", row=row)
        event, value = next(events)
        if event in _CONTAINERS:
            raise _shape(key, "must be a single value, not a list or object", row=row)
        fields[key] = value
    return fields  # unreachable: the parser refuses a document that ends inside an object


def _events(chunks: Iterable[bytes]) -> Iterator[tuple[str, Any]]:
    """yajl's events, fed piece by piece. The events before a syntax error come first, so that a
    limit or a shape reached before it is what the caller hears of; then the error, as InvalidJson
    with the line and column of the fault (of the body's end when it stops short)."""
    events = ijson.sendable_list()
    parser = ijson.basic_parse_coro(events, use_float=True)
    failure = None
    place = _Place()
    for chunk in chain(chunks, [b""]):  # the empty piece ends the document
        try:
            if chunk:
                parser.send(chunk)
            else:
                parser.close()
        except ijson.JSONError as error:
            failure = error
        yield from events
        del events[:]
        if failure is not None:
            message = str(failure)
            fault = _fault_offset(message, chunk) if chunk else None
            line, column = place.of(chunk[:fault] if fault is not None else chunk)
            first = message.strip().splitlines()[0].rstrip(".") or "truncated document"
            raise InvalidJson(f"{first} at line {line} column {column}", line, column)
        place.advance(chunk)


class _Place:
    """The line and column (1-based) reached in the body, as its pieces are fed."""

    def __init__(self) -> None:
        self.line = 1
        self.column = 0
        """Bytes of the current line read so far."""

    def advance(self, piece: bytes) -> None:
        self.line, self.column = self.of(piece)
        self.column -= 1

    def of(self, piece: bytes) -> tuple[int, int]:
        """The line and column of the byte that would follow `piece`."""
        newlines = piece.count(b"\n")
        if not newlines:
            return self.line, self.column + len(piece) + 1
        return self.line + newlines, len(piece) - piece.rfind(b"\n")


def _fault_offset(message: str, piece: bytes) -> int | None:
    """Where in `piece` the offending byte is. yajl's message shows the piece around the point it
    stopped at (one past that byte), that point always under the arrow of its third line, 40 columns
    in: up to 30 bytes either side, newlines shown as spaces, padded to the arrow. The offset is the
    one whose rendering is the message's; None when none is."""
    lines = message.split("\n")
    if len(lines) < 3 or not lines[2].endswith("(right here) ------^"):
        return None
    shown = lines[1].encode()
    flat = piece.replace(b"\n", b" ").replace(b"\r", b" ")
    near = range(min(30, len(flat) + 1))
    far = (start + 30 for start in _occurrences(flat, shown[10:]) if shown[10:])
    for stop in chain(near, far):
        padding = 40 - stop if stop < 30 else 10
        if b" " * padding + flat[max(stop - 30, 0) : stop + 30] == shown:
            return max(stop - 1, 0)
    return None


def _occurrences(text: bytes, part: bytes) -> Iterator[int]:
    start = text.find(part)
    while start != -1:
        yield start
        start = text.find(part, start + 1)


def _shape(field: str, message: str, **where: int) -> InvalidFields:
    return InvalidFields([{**where, "field": field, "message": message}])
