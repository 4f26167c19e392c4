"""Shared fixtures for the command-line, interchange and store tests."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from credit_tui.cli.entry import main
from credit_tui.service.demo import build_demo

TODAY = "2024-07-15"


@pytest.fixture(autouse=True, scope="session")
def _private_cache_folder(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Checked scoring tables are cached in a folder of the test run, not the user's."""
    import os

    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))


@dataclass(frozen=True)
class Result:
    """What one run of ``credit-tui`` did."""

    code: int
    out: str
    err: str


class Cli:
    """Runs ``credit-tui`` with ``--db`` (a store under tmp_path) and ``--today``.

    In-process through ``main()`` by default; ``proc=True`` runs
    ``python -m credit_tui.cli`` in a subprocess (exit codes, tracebacks).
    """

    def __init__(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.tmp_path = tmp_path
        self.db = tmp_path / "store" / "credit.db"
        self._capsys = capsys

    def __call__(
        self,
        *args: object,
        db: Path | None = None,
        today: str | None = TODAY,
        proc: bool = False,
    ) -> Result:
        argv = ["--db", str(db or self.db)]
        if today is not None:
            argv += ["--today", today]
        argv += [str(a) for a in args]
        if proc:
            done = subprocess.run(
                [sys.executable, "-m", "credit_tui.cli", *argv],
                capture_output=True,
                encoding="utf-8",
                cwd=self.tmp_path,
                timeout=120,
                check=False,
            )
            return Result(done.returncode, done.stdout, done.stderr)
        self._capsys.readouterr()
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse exits on usage errors
            code = exc.code if isinstance(exc.code, int) else 1
        captured = self._capsys.readouterr()
        return Result(code, captured.out, captured.err)


@pytest.fixture
def run_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Cli:
    """``run_cli("score", "--json")``; ``run_cli.db`` is the default store path."""
    for name in ("CREDIT_TUI_DB", "CREDIT_TUI_TODAY", "CREDIT_TUI_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PYTHONIOENCODING", "utf-8")
    return Cli(tmp_path, capsys)


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    """A fresh demo store (2024, half a year of evidence) under tmp_path."""
    path = tmp_path / "demo" / "demo.db"
    build_demo(path).close()
    return path
