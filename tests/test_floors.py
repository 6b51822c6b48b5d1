"""The house's floors (docs/architecture.md, "Floors"), read from the source: `i2i` (the
project and kernel) imports no domain app but for `access.py` scoping the apps' models; the
domain apps import neither `programme` nor `devdata`; `programme` does not import `devdata`;
no module imports itself round a circle; and a function-level import of a project module
says why in a comment, so that no circle hides behind one again."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
KERNEL = "i2i"
DOMAIN = ("participants", "placements", "reflections", "improvements", "evaluation")
PROGRAMME = "programme"
DEVDATA = "devdata"
FLOORS = (KERNEL, *DOMAIN, PROGRAMME, DEVDATA)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {
    _module_name(path): path
    for floor in FLOORS
    for path in sorted((ROOT / floor).rglob("*.py"))
    if "migrations" not in path.parts
}


def _resolve(name: str) -> str | None:
    """The project module an import names (`from i2i import access` names `i2i.access`)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imports(path: Path):
    """(module imported, line, inside a function?) for each import of a project module."""
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            if name.split(".")[0] in FLOORS and (target := _resolve(name)):
                yield target, node.lineno, node.col_offset > 0


GRAPH: dict[str, set[str]] = defaultdict(set)
INNER: list[tuple[str, int, str]] = []
for _name, _path in MODULES.items():
    for _target, _line, _inner in _imports(_path):
        if _target != _name:
            GRAPH[_name].add(_target)
        if _inner:
            INNER.append((_name, _line, _target))


def _floor(module: str) -> str:
    return module.split(".")[0]


def test_the_walk_found_the_house():
    """Guards the test itself: were the paths wrong, every check below would pass on nothing."""
    assert {"i2i.access", "i2i.rules", "programme.progress", "devdata.demo"} <= set(MODULES)
    assert "participants.models" in GRAPH["i2i.access"]
    assert "programme.progress" in GRAPH["programme.home"]


def test_the_kernel_imports_no_app_but_access_the_models():
    upward = sorted(
        f"{module} imports {target}"
        for module, targets in GRAPH.items()
        if _floor(module) == KERNEL
        for target in targets
        if _floor(target) != KERNEL
        and not (module == "i2i.access" and target.endswith(".models") and _floor(target) in DOMAIN)
    )
    assert upward == []


@pytest.mark.parametrize(
    ("floor", "above"),
    [(app, (PROGRAMME, DEVDATA)) for app in DOMAIN] + [(PROGRAMME, (DEVDATA,))],
)
def test_no_floor_imports_the_floors_above_it(floor, above):
    upward = sorted(
        f"{module} imports {target}"
        for module, targets in GRAPH.items()
        if _floor(module) == floor
        for target in targets
        if _floor(target) in above
    )
    assert upward == []


def _circles() -> list[list[str]]:
    """Tarjan's strongly connected components: every group of modules that import each
    other round a circle (function-level imports included)."""
    index, low, stack, on_stack, circles = {}, {}, [], set(), []

    def visit(module):
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in sorted(GRAPH.get(module, ())):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = []
            while (member := stack.pop()) != module:
                on_stack.discard(member)
                component.append(member)
            on_stack.discard(module)
            if component:
                circles.append(sorted([module, *component]))

    for module in sorted(MODULES):
        if module not in index:
            visit(module)
    return circles


def test_no_module_imports_itself_round_a_circle():
    assert _circles() == []


def test_a_function_level_import_of_a_project_module_says_why():
    """Allowed where it must be (an app's `ready()`, the admin site Django loads before the
    models), with a comment on the line or the line above saying so."""
    silent = []
    for module, line, target in INNER:
        lines = MODULES[module].read_text().splitlines()
        here, above = lines[line - 1], lines[line - 2].strip()
        if "#" not in here and not above.startswith("#"):
            silent.append(f"{module}:{line} imports {target}")
    assert sorted(set(silent)) == []
