"""Row validation: every record becomes a table row or a rejection listing all its problems."""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from chaos.infrastructure.importing.header import Plan
from chaos.infrastructure.importing.source import CsvSource
from chaos.infrastructure.importing.values import InvalidValue, clean

PROGRESS_ROWS = 50_000
"""Records between two progress reports of a long file."""


@dataclass(frozen=True)
class RowProblem:
    """Why one line of a CSV export is rejected."""

    reason: str
    """Specific, with the offending text: "age: 'abc' is not an integer"."""
    kind: str
    """What the summary counts: "age: is not an integer"."""


@dataclass(frozen=True)
class Rejected:
    line: int
    fields: list[str]
    problems: tuple[RowProblem, ...]
    row: int = 0
    """0-based position among the data records (blank lines are not records)."""

    @property
    def reason(self) -> str:
        return "; ".join(problem.reason for problem in self.problems)


@dataclass(frozen=True)
class Checked:
    rows: list[dict[str, object]]
    rejected: list[Rejected]
    """The rejected records kept: all of them unless `check` was told to keep fewer."""
    rejected_total: int
    problem_total: int
    """Problems of all rejected records, kept or not."""

    @property
    def read(self) -> int:
        return len(self.rows) + self.rejected_total

    def reasons(self) -> Counter[str]:
        """Rejected rows per kind of problem (a row with two problems counts under both)."""
        return Counter(problem.kind for row in self.rejected for problem in row.problems)


def check(
    source: CsvSource,
    plan: Plan,
    progress: Callable[[str], None] = lambda _: None,
    keep_rejected: int | None = None,
) -> Checked:
    """Every record parsed, or rejected with all its problems; beyond `keep_rejected` rejections,
    further ones are only counted (a caller answering over HTTP keeps its answer bounded). A long
    file reports to `progress` every PROGRESS_ROWS records."""
    rows: list[dict[str, object]] = []
    rejected: list[Rejected] = []
    rejected_total = problem_total = 0
    first_line_of_key: dict[object, int] = {}
    for number, (line, fields) in enumerate(source.records, start=1):
        if number % PROGRESS_ROWS == 0:
            progress(f"checking {source.path.name}: {number} rows read, {rejected_total} rejected")
        problems: list[RowProblem]
        if len(fields) != plan.width:
            problems = [
                RowProblem(
                    f"row: has {len(fields)} fields, the header has {plan.width}",
                    "row: wrong number of fields",
                )
            ]
        else:
            values, problems = _parse(fields, plan)
            if plan.key_is_row_number:
                values[plan.layout.key] = number
            else:
                problems.extend(_duplicate(values.get(plan.layout.key), line, first_line_of_key, plan))
        if problems:
            rejected_total += 1
            problem_total += len(problems)
            if keep_rejected is None or len(rejected) < keep_rejected:
                rejected.append(Rejected(line, fields, tuple(problems), number - 1))
        else:
            rows.append(values)
    return Checked(rows, rejected, rejected_total, problem_total)


def _parse(fields: list[str], plan: Plan) -> tuple[dict[str, object], list[RowProblem]]:
    values: dict[str, object] = {}
    problems = []
    for field in plan.fields:
        text = clean(fields[field.position])
        if text is None:
            values[field.column.name] = None
            if field.column.required:
                problems.append(RowProblem(f"{field.heading}: missing", f"{field.heading}: missing"))
            continue
        try:
            values[field.column.name] = field.column.parse(text)
        except InvalidValue as error:
            problems.append(
                RowProblem(f"{field.heading}: {text!r} {error.problem}", f"{field.heading}: {error.problem}")
            )
    for name, rule in plan.layout.derived.items():
        source = values.get(rule.source)  # absent when its cell was rejected
        expected = None if source is None else rule.compute(source)
        if name in plan.derived:
            values[name] = expected
        elif name in values and source is not None and values[name] != expected:
            headings = {field.column.name: field.heading for field in plan.fields}
            given, origin = headings[name], headings[rule.source]
            problems.append(
                RowProblem(
                    f"{given}: {values[name]!r} contradicts {origin} {source!r} (expected {expected!r})",
                    f"{given}: contradicts {origin}",
                )
            )
    return values, problems


def _duplicate(key: object, line: int, first_line_of_key: dict[object, int], plan: Plan) -> list[RowProblem]:
    """A key seen on an earlier line rejects this row: one upsert cannot write a key twice."""
    if key is None:
        return []
    first = first_line_of_key.setdefault(key, line)
    if first == line:
        return []
    heading = next(field.heading for field in plan.fields if field.column.name == plan.layout.key)
    return [RowProblem(f"{heading}: {key} already on line {first}", f"{heading}: duplicate in the file")]
