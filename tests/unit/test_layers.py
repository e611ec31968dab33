"""The package's shape: dependencies point inwards (entry points -> application -> domain <- infrastructure),
only the composition root (chaos/bootstrap.py, beside the layers) sees both sides, application holds
use cases and their ports only, and no module imports another in a cycle.

Every import counts, including those inside functions and under TYPE_CHECKING: a lazy import is still
a dependency."""

import ast
from pathlib import Path

import pytest

import chaos

ROOT = Path(chaos.__file__).parent
ALIASES = {"chaos.application.server"}
"""Names operators already use, kept as re-exports of the entry point that now holds them."""
ENTRY_POINT_LIBRARIES = {"flask", "werkzeug", "flask_swagger_ui", "gunicorn", "argparse", "prometheus_client"}
"""What receiving HTTP, parsing a command line or exposing metrics needs: not the use cases' business."""


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in ROOT.rglob("*.py")}


def imports(module: str) -> set[str]:
    """Every name this module imports, resolved to a chaos module where it names one."""
    found = set()
    for node in ast.walk(ast.parse(MODULES[module].read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:  # `from package import submodule` depends on the submodule only
                submodule = f"{node.module}.{alias.name}"
                found.add(submodule if submodule in MODULES else node.module)
    return found


def chaos_imports(module: str) -> set[str]:
    return {name for name in imports(module) if name in MODULES and name != module}


def layer(module: str) -> str:
    return module.split(".")[1] if "." in module else ""


@pytest.mark.parametrize(
    ("inner", "outer"),
    [
        ("domain", {"application", "infrastructure", "entrypoints", "bootstrap"}),
        ("infrastructure", {"application", "entrypoints", "bootstrap"}),
        ("application", {"infrastructure", "entrypoints", "bootstrap"}),
    ],
)
def test_no_arrow_points_outwards(inner, outer):
    assert outward_arrows(inner, outer) == []


def outward_arrows(inner: str, outer: set[str]) -> list[str]:
    return sorted(
        f"{module} -> {target}"
        for module in MODULES
        if layer(module) == inner and module not in ALIASES
        for target in chaos_imports(module)
        if layer(target) in outer
    )


def test_application_holds_use_cases_and_their_ports_only():
    offenders = sorted(
        f"{module} imports {name}"
        for module in MODULES
        if layer(module) == "application" and module not in ALIASES
        for name in imports(module)
        if name.split(".")[0] in ENTRY_POINT_LIBRARIES
    )
    assert offenders == []


def test_no_module_imports_another_in_a_cycle():
    graph = {module: chaos_imports(module) for module in MODULES}
    state: dict[str, str] = {}
    cycles = []

    def visit(module: str, path: list[str]) -> None:
        state[module] = "open"
        for target in sorted(graph[module]):
            if state.get(target) == "open":
                cycles.append(" -> ".join([*path[path.index(target) :], target]))
            elif target not in state:
                visit(target, [*path, target])
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_the_walk_sees_the_package():
    """The checks above would pass on nothing: make sure they read the real tree and its arrows."""
    assert {
        "chaos.entrypoints.web.app_factory",
        "chaos.domain.customer",
        "chaos.bootstrap",
    } <= set(MODULES)
    assert "chaos.bootstrap" in chaos_imports("chaos.entrypoints.web.app_factory")
    assert "chaos.infrastructure.db.socio_eco_repository" in chaos_imports("chaos.bootstrap")
