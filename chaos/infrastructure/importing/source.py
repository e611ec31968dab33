"""Reading an export: guess its encoding and separator, split it into records with their line numbers.

The one CSV reader of chaos: `chaos db import` reads files with it and `POST /appetence/batch` reads
request bodies with it, so both accept the same exports."""

import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

DELIMITERS = (";", ",")


class ImportFileError(Exception):
    """The file cannot be imported at all (unreadable, bad header, database failure); nothing was written."""


@dataclass(frozen=True)
class CsvSource:
    path: Path
    encoding: str
    delimiter: str
    header: list[str]
    records: list[tuple[int, list[str]]]
    """(line number in the file, fields) of each non-blank data record."""
    sha256: str
    """Of the file's bytes: identifies the exact export in the lineage."""


def read_csv(path: Path) -> CsvSource:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ImportFileError(f"{path}: cannot read: {error.strerror}") from error
    return parse_csv(raw, path)


def parse_csv(raw: bytes, path: Path) -> CsvSource:
    """`raw` as a CSV export; `path` names it in messages (a file, or a request body).

    Raises ImportFileError for an empty header, no separator or malformed quoting."""
    encoding, text = _decode(raw)
    first_line = text.partition("\n")[0]
    if not first_line.strip():
        raise ImportFileError(f"{path}: no header line")
    delimiter = _delimiter(path, first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
        records = [(reader.line_num, fields) for fields in reader if fields]
    except csv.Error as error:
        raise ImportFileError(f"{path}: malformed CSV on line {reader.line_num}: {error}") from error
    return CsvSource(path, encoding, delimiter, header, records, hashlib.sha256(raw).hexdigest())


def _decode(raw: bytes) -> tuple[str, str]:
    """UTF-8 when the bytes are valid UTF-8 (a BOM is dropped), else Latin-1, which decodes anything:
    the bank's exports are one or the other, and Latin-1 text is almost never valid UTF-8."""
    try:
        return "utf-8", raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "latin-1", raw.decode("latin-1")


def _delimiter(path: Path, header_line: str) -> str:
    """The separator is the candidate the header uses most. `csv.Sniffer` is not used: on a header
    holding both characters it prefers `,` whatever the counts, and data lines can mislead it."""
    counts = {candidate: header_line.count(candidate) for candidate in DELIMITERS}
    best = max(DELIMITERS, key=counts.__getitem__)
    if counts[best] == 0:
        raise ImportFileError(f"{path}: the header has no separator (expected one of {' '.join(DELIMITERS)})")
    return best
