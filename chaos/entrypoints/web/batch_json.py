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
    limit or a shape reached before it is what the caller hears of; then the error, as InvalidJson."""
    events = ijson.sendable_list()
    parser = ijson.basic_parse_coro(events, use_float=True)
    failure = None
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
            raise InvalidJson(str(failure).strip().splitlines()[0] or "truncated document")


def _shape(field: str, message: str, **where: int) -> InvalidFields:
    return InvalidFields([{**where, "field": field, "message": message}])
