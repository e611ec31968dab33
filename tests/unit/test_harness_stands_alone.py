"""The bench and the harness run without the test suites: neither imports anything from tests/, so a
change to a test helper cannot break `make bench` or `make pod` unseen."""

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module)
    return modules


@pytest.mark.parametrize("package", ["bench", "harness"])
def test_imports_nothing_from_the_suites(package):
    sources = sorted((REPO / package).rglob("*.py"))
    assert sources
    from_tests = {
        f"{path.relative_to(REPO)}: {module}"
        for path in sources
        for module in imported_modules(path)
        if module == "tests" or module.startswith("tests.")
    }
    assert from_tests == set()
