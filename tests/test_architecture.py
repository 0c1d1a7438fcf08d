"""The shape of the code: imports inside ``src/`` form no cycle, and the checker core needs
nothing but the standard library (it must import in Pyodide with nothing else)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGES = sorted(path.name for path in SRC.iterdir() if (path / "__init__.py").is_file())


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, modules: frozenset[str] = frozenset()) -> set[str]:
    """Every module ``path`` imports, at any depth (functions and TYPE_CHECKING blocks too),
    as absolute names. ``from . import web`` imports the module ``web`` when ``modules`` holds
    it, and a name of the package otherwise. (That importing a module first runs its packages'
    ``__init__`` is how Python works, not a dependency the code chose.)"""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            for alias in node.names:
                submodule = f"{module}.{alias.name}"
                found.add(submodule if submodule in modules else module)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = {
        _module_name(path): path for package in PACKAGES for path in (SRC / package).rglob("*.py")
    }
    names = frozenset(modules)
    return {
        name: {target for target in _imports(path, names) if target in modules and target != name}
        for name, path in modules.items()
    }


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                return [*stack[stack.index(target) :], target]
            if target not in state and (found := visit(target)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_imports_inside_src_form_no_cycle() -> None:
    graph = import_graph()
    assert len(graph) > 20, "the source tree was not found"
    cycle = _cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


@pytest.mark.parametrize("layer", ["report", "text", "literals"])
def test_the_bottom_modules_import_nothing_of_the_package(layer: str) -> None:
    graph = import_graph()
    assert not {target for target in graph[f"inmail_checker.{layer}"] if target != "inmail_checker"}


def test_the_checker_core_needs_only_the_standard_library() -> None:
    stdlib = set(sys.stdlib_module_names)
    for path in (SRC / "inmail_checker").rglob("*.py"):
        for module in _imports(path):
            top = module.split(".")[0]
            assert top in stdlib or top == "inmail_checker" or top == "__future__", (path, module)


def test_nothing_outside_the_tests_imports_the_tests() -> None:
    """Scripts and packages use what ``src/`` provides; the tests are not a library."""
    root = SRC.parent
    offenders = []
    for path in [*SRC.rglob("*.py"), *(root / "scripts").glob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom) and node.level == 0
                else []
            )
            if any(name == "tests" or name.startswith("tests.") for name in names):
                offenders.append(str(path.relative_to(root)))
    assert not offenders
