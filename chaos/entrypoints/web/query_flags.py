"""A yes/no query parameter (`?explain=true`, `?replace=true`): absent or `false` is no, `true` is
yes, anything else is refused (422) rather than guessed."""

from flask import request

from chaos.entrypoints.web.problems import Problem


def true_or_false(name: str) -> bool:
    value = request.args.get(name, "false")
    if value not in ("true", "false"):
        message = f"{value!r} is not true or false"
        raise Problem(
            422,
            "Invalid query parameter",
            f"{name}: {message}",
            slug="invalid-fields",
            errors=[{"field": name, "message": message, "allowed": ["true", "false"]}],
        )
    return value == "true"
