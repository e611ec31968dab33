"""A yes/no query parameter (`?explain=true`, `?replace=true`): absent or `false` is no, `true` is
yes, anything else is refused (422) rather than guessed."""

from chaos.entrypoints.web.problem_types import INVALID_FIELDS
from chaos.entrypoints.web.problems import Problem
from chaos.entrypoints.web.query_value import query_value


def true_or_false(name: str) -> bool:
    value = query_value(name)
    value = "false" if value is None else value
    if value not in ("true", "false"):
        message = f"{value!r} is not true or false"
        raise Problem(
            INVALID_FIELDS,
            f"{name}: {message}",
            errors=[{"field": name, "message": message, "allowed": ["true", "false"]}],
        )
    return value == "true"
