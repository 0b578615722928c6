"""The package's floors: core, data, web, then export and validate, app and cli.

No module imports from a higher floor, there is no import circle, and the core
neither touches the disk nor the web.
"""

from __future__ import annotations

import ast

import pytest

from tools.floor_graph import FLOORS, PACKAGE, cycles, floor_of, module_graph, upward_imports


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    return module_graph()


def test_every_module_lives_on_a_floor(graph: dict[str, set[str]]) -> None:
    assert {floor_of(m) for m in graph} <= set(FLOORS)


def test_no_import_runs_up_a_floor(graph: dict[str, set[str]]) -> None:
    assert upward_imports(graph) == []


def test_no_import_circles(graph: dict[str, set[str]]) -> None:
    assert cycles(graph) == []


def test_the_checks_can_fail() -> None:
    bad = {"geomap.core.a": {"geomap.data.b"}, "geomap.data.b": {"geomap.core.a"}}
    assert upward_imports(bad) == [("geomap.core.a", "geomap.data.b")]
    assert cycles(bad) == [["geomap.core.a", "geomap.data.b"]]
    across = {"geomap.export.x": {"geomap.validate.y"}, "geomap.validate.y": set()}
    assert upward_imports(across) == [("geomap.export.x", "geomap.validate.y")]


#: What the pure core may not use: web frameworks, drawing, file formats on disk.
NOT_IN_CORE = {"streamlit", "folium", "branca", "matplotlib", "pyarrow", "urllib", "http"}
#: Calls that read or write files.
DISK_CALLS = {"open", "read_text", "read_bytes", "write_text", "write_bytes", "glob", "iterdir"}


def test_the_core_touches_neither_disk_nor_web() -> None:
    found = []
    for path in sorted((PACKAGE / "core").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
                if isinstance(node, ast.ImportFrom) and node.module:
                    names.append(node.module)
                found += [
                    f"{path.name}: import {n}" for n in names if n.split(".")[0] in NOT_IN_CORE
                ]
            elif isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name in DISK_CALLS:
                    found.append(f"{path.name}:{node.lineno}: {name}()")
    assert found == []


@pytest.mark.parametrize("package", ["geomap.export", "geomap.validate"])
def test_lazy_packages_resolve_every_public_name(package: str) -> None:
    """The two packages load their modules on first use; each public name must resolve."""
    import importlib

    module = importlib.import_module(package)
    for name in module.__all__:
        assert getattr(module, name) is not None, name
    with pytest.raises(AttributeError):
        module.no_such_name  # noqa: B018
    homes = getattr(module, "_HOMES", None)
    if homes is not None:
        assert set(homes) == set(module.__all__)
