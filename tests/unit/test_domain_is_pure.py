"""The dependency rule: the domain imports no framework and no other layer."""

import ast
from pathlib import Path

import chaos.domain

FORBIDDEN = {
    "flask",
    "sqlalchemy",
    "psycopg2",
    "yaml",
    "sklearn",
    "pandas",
    "pydantic",
    "chaos.application",
    "chaos.infrastructure",
}


def test_domain_imports_no_framework_nor_outer_layer():
    offenders = []
    for path in Path(chaos.domain.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [
                f"{path.name}: {name}"
                for name in names
                if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN)
            ]
    assert offenders == []
