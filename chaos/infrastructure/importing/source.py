"""Reading an export: guess its encoding and separator, split it into records with their line numbers.

The one CSV reader of chaos: `chaos db import` reads files with it and `POST /appetence/batch` reads
request bodies with it, so both accept the same exports. Records are produced one at a time from the
bytes, and no line may exceed MAX_LINE_CHARS: a reader that stops early (a batch at its row limit)
never builds the rest, and one hostile line cannot become millions of fields."""

import codecs
import csv
import hashlib
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

DELIMITERS = (";", ",")
MAX_LINE_CHARS = 64 * 1024
"""Longest line read: a row of the bank's export takes about 150 characters."""
_CHUNK = 64 * 1024


class ImportFileError(Exception):
    """The file cannot be imported at all (unreadable, bad header, database failure); nothing was written."""


@dataclass(frozen=True)
class CsvSource:
    path: Path
    encoding: str
    delimiter: str
    header: list[str]
    records: Iterable[tuple[int, list[str]]]
    """(line number in the file, fields) of each non-blank data record: a list for a file, a
    one-pass iterator for a request body (`open_csv`)."""
    sha256: str
    """Of the file's bytes: identifies the exact export in the lineage."""


def read_csv(path: Path) -> CsvSource:
    """The whole file, its records listed."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ImportFileError(f"{path}: cannot read: {error.strerror}") from error
    source = open_csv(raw, path)
    return replace(source, records=list(source.records))


def open_csv(raw: bytes, path: Path) -> CsvSource:
    """`raw` as a CSV export whose records are read as they are iterated; `path` names it in messages
    (a file, or a request body).

    Raises ImportFileError for an empty header, no separator, a line over MAX_LINE_CHARS or malformed
    quoting (the last two while iterating)."""
    encoding = _encoding(raw)
    decoding = "utf-8-sig" if encoding == "utf-8" else encoding  # a BOM is dropped
    lines = _lines(io.TextIOWrapper(io.BytesIO(raw), encoding=decoding, newline=""), path)
    first_line = next(lines, "")
    if not first_line.strip():
        raise ImportFileError(f"{path}: no header line")
    delimiter = _delimiter(path, first_line)
    reader = csv.reader(_chain(first_line, lines), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except csv.Error as error:
        raise ImportFileError(f"{path}: malformed CSV on line {reader.line_num}: {error}") from error
    records = _records(reader, path)
    return CsvSource(path, encoding, delimiter, header, records, hashlib.sha256(raw).hexdigest())


def _records(reader, path: Path) -> Iterator[tuple[int, list[str]]]:
    try:
        for fields in reader:
            if fields:
                yield reader.line_num, fields
    except csv.Error as error:
        raise ImportFileError(f"{path}: malformed CSV on line {reader.line_num}: {error}") from error


def _lines(text: io.TextIOWrapper, path: Path) -> Iterator[str]:
    number = 0
    while line := text.readline(MAX_LINE_CHARS + 1):
        number += 1
        if len(line) > MAX_LINE_CHARS:
            raise ImportFileError(f"{path}: line {number} is longer than {MAX_LINE_CHARS} characters")
        yield line


def _chain(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest


def _encoding(raw: bytes) -> str:
    """UTF-8 when the bytes are valid UTF-8, else Latin-1, which decodes anything: the bank's exports
    are one or the other, and Latin-1 text is almost never valid UTF-8. Checked piece by piece, so
    the check never holds the decoded text."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(raw)
    try:
        for start in range(0, len(raw), _CHUNK):
            decoder.decode(view[start : start + _CHUNK])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "latin-1"
    return "utf-8"


def _delimiter(path: Path, header_line: str) -> str:
    """The separator is the candidate the header uses most. `csv.Sniffer` is not used: on a header
    holding both characters it prefers `,` whatever the counts, and data lines can mislead it."""
    counts = {candidate: header_line.count(candidate) for candidate in DELIMITERS}
    best = max(DELIMITERS, key=counts.__getitem__)
    if counts[best] == 0:
        raise ImportFileError(f"{path}: the header has no separator (expected one of {' '.join(DELIMITERS)})")
    return best
