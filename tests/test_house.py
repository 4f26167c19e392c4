"""The shape of the code: layer packages that say what they import, no circles, short modules.

The layers themselves (who may import whom) are import-linter's contracts in
``pyproject.toml``, run by ``make test``; these are what it does not check.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "credit_tui"
LAYERS = ("cli", "tui", "service", "reports", "interchange", "store", "scoring")
MAX_LINES = 400


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    sys.setrecursionlimit(10_000)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for other in graph.find_modules_directly_imported_by(module):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in on_stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                group.append(other)
                if other == module:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return groups


def test_no_module_imports_itself_round_a_circle() -> None:
    graph = grimp.build_graph("credit_tui", exclude_type_checking_imports=True)
    assert _cycles(graph) == []


def test_the_circle_finder_finds_a_circle() -> None:
    graph = grimp.ImportGraph()
    for name in ("a", "a.x", "a.y", "a.z"):
        graph.add_module(name)
    graph.add_import(importer="a.x", imported="a.y")
    graph.add_import(importer="a.y", imported="a.x")
    graph.add_import(importer="a.z", imported="a.x")
    assert _cycles(graph) == [["a.x", "a.y"]]


def test_every_layer_says_in_its_docstring_what_it_may_import() -> None:
    for layer in LAYERS:
        doc = ast.get_docstring(ast.parse((PACKAGE / layer / "__init__.py").read_text()))
        assert doc, layer
        assert "import" in doc, f"{layer}: {doc}"


def test_layer_packages_stay_light() -> None:
    """An ``__init__`` imports nothing of its own: a light module never drags its layer in.

    (``scoring`` names its modules' exports lazily, through ``importlib``.)
    """
    allowed = {"__future__", "importlib"}
    for init in PACKAGE.rglob("__init__.py"):
        tree = ast.parse(init.read_text())
        imported = {
            (n.module if isinstance(n, ast.ImportFrom) else n.names[0].name) or ""
            for n in tree.body
            if isinstance(n, ast.Import | ast.ImportFrom)
        }
        assert imported <= allowed, init


def test_every_module_has_one_job_and_stays_short() -> None:
    long = {
        str(path.relative_to(ROOT)): n
        for path in _modules()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}
    missing = [
        str(path.relative_to(ROOT))
        for path in _modules()
        if path.stat().st_size and not ast.get_docstring(ast.parse(path.read_text()))
    ]
    assert missing == []


def test_screens_widgets_and_the_palette_never_import_the_app() -> None:
    """They type against ``tui.host``'s protocol; the app imports them, never the reverse."""
    found = []
    for folder in ("screens", "widgets"):
        for path in sorted((PACKAGE / "tui" / folder).rglob("*.py")):
            found += _app_imports(path)
    found += _app_imports(PACKAGE / "tui" / "palette.py")
    assert found == []


def _app_imports(path: Path) -> list[str]:
    hits = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = {f"{node.module}.{a.name}" for a in node.names} | {node.module}
            if "credit_tui.tui.app" in names:
                hits.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return hits
