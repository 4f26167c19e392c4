"""A small mutation probe of ``credit_tui/scoring``: do the scoring tests notice a changed rule?

Every mutant is one small change to one scoring module (``ast`` based): an operator or a
comparison swapped (``+``/``-``, ``<``/``<=``, ``==``/``!=``, ``in``/``not in``, ``and``/``or``),
``min``/``max`` swapped, a ``not`` dropped, a number moved by one, ``True``/``False`` swapped,
a ``.strip()``/``.casefold()`` dropped, a call statement or ``+=`` deleted, a regex anchor
dropped. Each mutant runs a fast subset of the scoring tests (``-x``) in a forked child of a
process that has already imported pytest and the libraries, on a private copy of the package;
a failing test kills it. Prints killed / survived per module and every survivor.

    python bench/mutate.py [--budget SECONDS] [--module engine] [--tests …] [--rerun LOG]
"""

from __future__ import annotations

import argparse
import ast
import os
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "credit_tui"
SCORING = PACKAGE / "scoring"
FAST_TESTS = [
    "tests/test_mutant_kills.py",
    "tests/test_worked_examples.py",
    "tests/test_second_reading.py",
    "tests/test_indicators.py",
    "tests/test_calendar.py",
    "tests/test_scorer_components.py",
    "tests/test_evidence.py",
    "tests/test_catalog.py",
]
"""Scoring tests that need neither a store nor a terminal: about 5 s for all of them."""
PER_MUTANT_TIMEOUT = 60.0
ORDER = ["rules", "engine", "qualify", "dependencies", "component_warnings", "calendar"]
ORDER += ["points", "dates", "record", "evidence", "report", "model", "conditions", "build"]
ORDER += ["checks", "schema", "catalog", "canonical", "key_tasks", "plain", "__init__"]
"""The modules that compute a score first: with a short budget they are the ones run."""

_SWAP_BIN: dict[type, type] = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Add,
    ast.FloorDiv: ast.Mult,
    ast.Mod: ast.FloorDiv,
}
_SWAP_CMP: dict[type, type] = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}
_DROPPED_CALLS = frozenset({"strip", "casefold", "lower"})


@dataclass(frozen=True)
class Mutant:
    """One change: the ``index``-th node of ``path``'s walk, changed by ``how``."""

    path: Path
    index: int
    line: int
    what: str


Change = Callable[[ast.AST], ast.AST | None]
"""Changes a node in place (returns None) or returns its replacement."""


def _changes(node: ast.AST, in_function: bool) -> Iterator[tuple[str, Change]]:
    """The mutations of one node, each with a short description."""
    if isinstance(node, ast.BinOp) and type(node.op) in _SWAP_BIN and in_function:
        new = _SWAP_BIN[type(node.op)]
        yield f"{type(node.op).__name__} → {new.__name__}", lambda n: setattr(n, "op", new())
    if isinstance(node, ast.AugAssign) and in_function:
        yield "delete augmented assignment", lambda n: ast.Pass()
    if isinstance(node, ast.Compare) and in_function:
        for i, op in enumerate(node.ops):
            if type(op) in _SWAP_CMP:
                new = _SWAP_CMP[type(op)]

                def swap(n: ast.AST, i: int = i, new: type = new) -> None:
                    n.ops[i] = new()

                yield f"{type(op).__name__} → {new.__name__}", swap
    if isinstance(node, ast.BoolOp) and in_function:
        new = ast.Or if isinstance(node.op, ast.And) else ast.And
        yield f"{type(node.op).__name__} → {new.__name__}", lambda n: setattr(n, "op", new())
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not) and in_function:
        yield "drop not", lambda n: n.operand
    if isinstance(node, ast.Constant) and in_function:
        value = node.value
        if isinstance(value, bool):
            yield f"{value} → {not value}", lambda n: setattr(n, "value", not value)
        elif isinstance(value, int):
            new_int = 0 if value == 1 else value + 1
            yield f"{value} → {new_int}", lambda n: setattr(n, "value", new_int)
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) > 1:
        text = node.value
        if text.startswith("^"):
            yield "drop regex ^", lambda n: setattr(n, "value", text[1:])
        if text.endswith("$"):
            yield "drop regex $", lambda n: setattr(n, "value", text[:-1])
    if isinstance(node, ast.Call) and in_function:
        func = node.func
        if isinstance(func, ast.Name) and func.id in ("min", "max"):
            other = "max" if func.id == "min" else "min"
            yield f"{func.id} → {other}", lambda n: setattr(n.func, "id", other)
        if isinstance(func, ast.Attribute) and func.attr in _DROPPED_CALLS and not node.args:
            yield f"drop .{func.attr}()", lambda n: n.func.value
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) and in_function:
        yield "delete call statement", lambda n: ast.Pass()


def _walk(tree: ast.AST) -> Iterator[tuple[ast.AST, ast.AST | None, str, int | None, bool]]:
    """Every node with its parent, the field holding it (and list index), in a fixed order.

    The fourth item says whether the node is inside a function body. Docstrings and
    ``if TYPE_CHECKING:`` blocks are left out.
    """
    stack: list[tuple[ast.AST, ast.AST | None, str, int | None, bool]] = [
        (tree, None, "", None, False)
    ]
    while stack:
        node, parent, field, index, in_function = stack.pop()
        yield node, parent, field, index, in_function
        inner = in_function or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        children = []
        for name, value in ast.iter_fields(node):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and name in (
                "returns",
                "args",
                "decorator_list",
            ):
                continue
            if isinstance(value, list):
                for i, item in enumerate(value):
                    if isinstance(item, ast.AST) and not _skipped(item, i):
                        children.append((item, node, name, i, inner))
            elif isinstance(value, ast.AST) and name != "annotation":
                children.append((value, node, name, None, inner))
        stack.extend(reversed(children))


def _skipped(node: ast.AST, position: int) -> bool:
    docstring = (
        position == 0
        and isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )
    type_checking = (
        isinstance(node, ast.If)
        and isinstance(node.test, ast.Name)
        and node.test.id == "TYPE_CHECKING"
    )
    return docstring or type_checking


def mutants(path: Path) -> list[Mutant]:
    """Every mutant of one module, in source order."""
    tree = ast.parse(path.read_text("utf-8"))
    found: list[Mutant] = []
    for n, (node, *_rest, in_function) in enumerate(_walk(tree)):
        for k, (what, _change) in enumerate(_changes(node, in_function)):
            found.append(Mutant(path, n * 100 + k, getattr(node, "lineno", 0), what))
    return found


def mutated_source(mutant: Mutant) -> str:
    """The module's source with this one change."""
    tree = ast.parse(mutant.path.read_text("utf-8"))
    node_no, change_no = divmod(mutant.index, 100)
    for n, (node, parent, field, index, in_function) in enumerate(_walk(tree)):
        if n != node_no:
            continue
        _what, change = list(_changes(node, in_function))[change_no]
        replacement = change(node)
        if replacement is not None and parent is not None:
            if index is None:
                setattr(parent, field, replacement)
            else:
                getattr(parent, field)[index] = replacement
        break
    return ast.unparse(ast.fix_missing_locations(tree))


def _run_tests(copy: Path, tests: list[str]) -> int:
    """In a forked child: the tests against the copy; 0 when every test passed."""
    import pytest

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    sys.path.insert(0, str(copy))
    args = ["-x", "-q", "-p", "no:randomly", "-p", "no:cacheprovider", *tests]
    return int(pytest.main(args))


def run_mutant(copy: Path, mutant: Mutant, tests: list[str]) -> str:
    """``killed``, ``survived`` or ``timeout`` (counted as killed)."""
    target = copy / "credit_tui" / mutant.path.relative_to(PACKAGE)
    original = target.read_text("utf-8")
    target.write_text(mutated_source(mutant), "utf-8")
    try:
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                code = _run_tests(copy, tests)
            finally:
                os._exit(code)
        deadline = time.monotonic() + PER_MUTANT_TIMEOUT
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                return "survived" if os.waitstatus_to_exitcode(status) == 0 else "killed"
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return "timeout"
            time.sleep(0.02)
    finally:
        target.write_text(original, "utf-8")


def _prepare() -> Path:
    """A private copy of the package, and the libraries imported once (not credit_tui)."""
    copy = Path(tempfile.mkdtemp(prefix="credit-mutate-"))
    shutil.copytree(PACKAGE, copy / "credit_tui", ignore=shutil.ignore_patterns("__pycache__"))
    sys.dont_write_bytecode = True  # a mutant's source is always compiled afresh
    import hypothesis  # noqa: F401
    import pytest  # noqa: F401

    sys.path.insert(0, str(copy))

    for name in [m for m in sys.modules if m == "credit_tui" or m.startswith("credit_tui.")]:
        del sys.modules[name]
    sys.path.remove(str(copy))
    return copy


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=float, default=2400.0, help="seconds (default 2400)")
    parser.add_argument("--module", action="append", help="only these scoring modules (stem)")
    parser.add_argument("--tests", nargs="+", default=FAST_TESTS, help="the tests to run")
    parser.add_argument("--list", action="store_true", help="list the mutants and stop")
    parser.add_argument(
        "--rerun", type=Path, help="only the mutants an earlier run's output lists as survived"
    )
    opts = parser.parse_args(argv)
    os.chdir(ROOT)
    files = sorted(SCORING.glob("*.py"), key=_rank)
    if opts.module:
        files = [f for f in files if f.stem in opts.module]
    every = [m for f in files for m in mutants(f)]
    if opts.rerun:
        listed = {line.split("] survived ", 1)[1].strip() for line in _survivor_lines(opts.rerun)}
        every = [m for m in every if f"{m.path.relative_to(ROOT)}:{m.line}: {m.what}" in listed]
    if opts.list:
        for m in every:
            print(f"{m.path.relative_to(ROOT)}:{m.line}: {m.what}")
        print(f"{len(every)} mutants")
        return 0
    copy = _prepare()
    start = time.monotonic()
    results: dict[Mutant, str] = {}
    try:
        for n, mutant in enumerate(every, 1):
            if time.monotonic() - start > opts.budget:
                break
            results[mutant] = run_mutant(copy, mutant, opts.tests)
            if results[mutant] == "survived":
                where = f"{mutant.path.relative_to(ROOT)}:{mutant.line}"
                print(f"[{n}/{len(every)}] survived {where}: {mutant.what}", flush=True)
    finally:
        shutil.rmtree(copy, ignore_errors=True)
    _summary(files, every, results, time.monotonic() - start)
    return 0


def _rank(path: Path) -> tuple[int, str]:
    """Where a module comes in ``ORDER`` (one not listed: last)."""
    return (ORDER.index(path.stem) if path.stem in ORDER else len(ORDER), path.stem)


def _survivor_lines(log: Path) -> list[str]:
    return [line for line in log.read_text("utf-8").splitlines() if "] survived " in line]


def _summary(
    files: list[Path], every: list[Mutant], results: dict[Mutant, str], seconds: float
) -> None:
    print(f"\n{'module':<14} {'mutants':>7} {'killed':>7} {'survived':>8}")
    for path in files:
        mine = [r for m, r in results.items() if m.path == path]
        alive = mine.count("survived")
        print(f"{path.stem:<14} {len(mine):>7} {len(mine) - alive:>7} {alive:>8}")
    killed = sum(1 for r in results.values() if r != "survived")
    total = len(results)
    rate = 100 * killed / total if total else 0.0
    print(f"{'total':<14} {total:>7} {killed:>7} {total - killed:>8}")
    print(f"kill rate {rate:.1f} % of {total} mutants run in {seconds:.0f} s", end="")
    untested = len(every) - total
    print(f" ({untested} left untested: time budget)" if untested else "")


if __name__ == "__main__":
    sys.exit(main())
