"""The import graph of the ``geomap`` package, by module and by floor.

Run ``python tools/floor_graph.py`` to print which floor imports which (the
README's floor plan comes from it); ``tests/test_floors.py`` uses the same graph
to check that no module imports from a higher floor and that no import circle
exists. Imports inside functions count (a deferred import is still a
dependency); imports under ``if TYPE_CHECKING:`` do not (they never run).
"""

from __future__ import annotations

import ast
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "geomap"

#: The floors, lowest first: a module may import from its own floor or a lower one.
#: ``export`` and ``validate`` share a floor and do not import each other.
FLOORS: dict[str, int] = {
    "core": 0,
    "data": 1,
    "web": 2,
    "export": 3,
    "validate": 3,
    "app": 4,
    "cli": 5,
    "schema_gen": 5,
}


def module_name(path: Path) -> str:
    """``geomap.core.model`` for ``geomap/core/model.py`` (packages by their ``__init__``)."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def floor_of(module: str) -> str:
    """The floor a module of the package lives on (``geomap`` itself is ``core``)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "core"


def _type_checking_lines(tree: ast.AST) -> set[int]:
    """Line numbers inside ``if TYPE_CHECKING:`` blocks."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def imports_of(path: Path, known: set[str]) -> set[str]:
    """The package modules ``path`` imports (the longest known module of each import)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _type_checking_lines(tree)
    found: set[str] = set()
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skip:
            continue
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{alias.name}" for alias in node.names] + [node.module]
        for name in names:
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name.startswith("geomap"):
                found.add(name)
    return found


def module_graph() -> dict[str, set[str]]:
    """Every module of the package and the package modules it imports (itself excluded)."""
    paths = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    known = set(paths)
    graph = {}
    for name, path in paths.items():
        targets = imports_of(path, known) - {name}
        # Importing a submodule runs its package's __init__; that edge is not a dependency
        # of the package on its parent's own modules.
        graph[name] = {t for t in targets if not name.startswith(t + ".")}
    return graph


def upward_imports(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    """Imports that run up a floor, or across between export and validate."""
    bad = []
    for source, targets in graph.items():
        a = floor_of(source)
        for target in targets:
            b = floor_of(target)
            if FLOORS[b] > FLOORS[a] or (FLOORS[b] == FLOORS[a] and a != b):
                bad.append((source, target))
    return sorted(bad)


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (each is an import circle)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = 0

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                group.append(item)
                if item == node:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return out


def floor_edges(graph: dict[str, set[str]]) -> Counter[tuple[str, str]]:
    """How many module imports go from each floor to each other floor."""
    return Counter(
        (floor_of(s), floor_of(t))
        for s, ts in graph.items()
        for t in ts
        if floor_of(s) != floor_of(t)
    )


def main() -> int:
    """Print the floors, the imports between them, and any upward import or circle."""
    graph = module_graph()
    by_floor = Counter(floor_of(m) for m in graph)
    for floor, rank in sorted(FLOORS.items(), key=lambda kv: (kv[1], kv[0])):
        edges = floor_edges(graph)
        below = sorted((t, n) for (s, t), n in edges.items() if s == floor)
        uses = ", ".join(f"{t} ({n})" for t, n in below) or "no other floor"
        print(f"{rank} {floor:<10} {by_floor[floor]:>2} modules; imports {uses}")
    bad, loops = upward_imports(graph), cycles(graph)
    for source, target in bad:
        print(f"upward: {source} -> {target}")
    for group in loops:
        print(f"circle: {' -> '.join(group)}")
    return 1 if bad or loops else 0


if __name__ == "__main__":
    sys.exit(main())
