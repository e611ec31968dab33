"""Matching a file's header to a layout: which position feeds which column, checked before any row."""

from dataclasses import dataclass, replace

from chaos.infrastructure.importing.layouts import Column, Derived, Layout
from chaos.infrastructure.importing.source import CsvSource, ImportFileError

ROW_INDEX = "(row index)"
LISTED_UNKNOWN = 10


@dataclass(frozen=True)
class Field:
    position: int
    column: Column
    heading: str
    """The header as the file spells it, used in reject reasons."""


@dataclass(frozen=True)
class Plan:
    layout: Layout
    fields: tuple[Field, ...]
    derived: dict[str, Derived]
    """Columns the file lacks, computed from another one."""
    key_is_row_number: bool
    width: int
    ignored: tuple[str, ...] = ()
    """Headings of the file's columns the layout reads past, as the file spells them, each once."""

    @property
    def has_real_key(self) -> bool:
        """The key comes from a named column of the file, not from a row's position (the export's
        unnamed index column or its line): only such a key identifies the same row in another export."""
        return any(
            field.column.name == self.layout.key and field.heading != ROW_INDEX for field in self.fields
        )


def plan(source: CsvSource, layout: Layout) -> Plan:
    aliases = {name: column for column in layout.columns for name in (column.name, column.french) if name}
    passed = {name for column in layout.ignored for name in (column.name, column.french) if name}
    found: dict[str, Field] = {}
    unknown = []
    ignored: dict[str, None] = {}  # ordered, each spelling once
    for position, heading in enumerate(source.header):
        name = heading.strip().lower()
        if not name and position == 0:
            if layout.keyed_by_row_index:
                found[layout.key] = Field(0, layout.column(layout.key), ROW_INDEX)
            else:
                ignored[ROW_INDEX] = None
            continue
        column = aliases.get(name)
        if name in passed:
            ignored[heading.strip()] = None
        elif column is None:
            unknown.append(repr(heading))
        elif column.name in found:
            raise ImportFileError(
                f"{source.path}: columns {found[column.name].heading!r} and {heading!r} both give "
                f"{layout.table.name}.{column.name}"
            )
        else:
            found[column.name] = Field(position, column, heading.strip())
    if unknown:
        raise ImportFileError(
            f"{source.path}: unknown column(s) {_first(unknown)} for {layout.name}; "
            f"expected: {', '.join(sorted(aliases | dict.fromkeys(passed)))}"
        )
    derived = {
        name: rule for name, rule in layout.derived.items() if name not in found and rule.source in found
    }
    for rule in derived.values():
        field = found[rule.source]
        found[rule.source] = replace(field, column=replace(field.column, required=True))
    key_is_row_number = layout.keyed_by_row_index and layout.key not in found
    missing = [
        _spelling(column)
        for column in layout.columns
        if column.name not in found
        and column.name not in derived
        and not (key_is_row_number and column.name == layout.key)
        and not layout.optional
    ]
    if missing:
        raise ImportFileError(
            f"{source.path}: missing column(s) for {layout.table.name}: {', '.join(missing)}"
        )
    return Plan(layout, tuple(found.values()), derived, key_is_row_number, len(source.header), tuple(ignored))


def _first(names: list[str]) -> str:
    """At most LISTED_UNKNOWN names and how many more: thousands of columns get a short message."""
    more = len(names) - LISTED_UNKNOWN
    return ", ".join(names[:LISTED_UNKNOWN]) + (f" and {more} more" if more > 0 else "")


def _spelling(column: Column) -> str:
    if column.french and column.french != column.name:
        return f"{column.french} ({column.name})"
    return column.name
