"""The import dialog in a real terminal: tmux at 120×40 (skipped only where tmux is absent).

The same steps as the README's development section: open the demo workbench,
4 (证据), i (导入), type 收 → 客 → to complete ~/收件/客运科-7月.csv, read the
preview off the screen, Enter imports, u undoes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
CSV = (
    "编号,指标,日期,责任单位,标题\n"
    "k7-1,3.1,2024-07-10,客运科,七月客运信用信息报送\n"
    "k7-2,4.1,2024-07-12,客运科,客运企业信用承诺书（第二批）\n"
)


class Terminal:
    """One tmux server of our own (``-L``), one 120×40 session."""

    def __init__(self, socket: str) -> None:
        self.socket = socket

    def tmux(self, *args: str) -> str:
        done = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=True
        )
        return done.stdout

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.tmux("send-keys", "-t", "ct", *(["-l"] if literal else []), *keys)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "ct")

    def wait_for(self, text: str, seconds: float = 30) -> str:
        until = time.monotonic() + seconds
        while True:
            shown = self.screen()
            if text in shown:
                return shown
            if time.monotonic() > until:
                raise AssertionError(f"“{text}” not on screen:\n{shown}")
            time.sleep(0.2)

    def accept_completion(self, then: str) -> str:
        """→ takes the greyed completion; press it again if ``then`` does not follow.

        On a loaded machine a key sent while the suggestion is still being drawn can
        be taken before the input has it; the completion itself must still work.
        """
        for _ in range(3):
            self.keys("Right")
            try:
                return self.wait_for(then, seconds=5)
            except AssertionError:
                continue
        return self.wait_for(then)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    home = tmp_path / "home"
    (home / "收件").mkdir(parents=True)
    (home / "收件" / "客运科-7月.csv").write_text(CSV, "utf-8")
    term = Terminal(f"credit-tui-test-{os.getpid()}")
    # COLUMNS/LINES (pytest sets them) would make Textual ignore the terminal's real size
    command = (
        f"env -u COLUMNS -u LINES LANG=C.UTF-8 HOME={home} {sys.executable} -m credit_tui.cli "
        f"--db {tmp_path / 'demo.db'} demo"
    )
    term.tmux("new-session", "-d", "-s", "ct", "-x", "120", "-y", "40", command)
    try:
        yield term
    finally:
        term.tmux("kill-server")


def test_import_in_a_real_terminal(terminal: Terminal) -> None:
    terminal.wait_for("已得 37.5")
    terminal.keys("4")
    terminal.wait_for("共 38 条")
    terminal.keys("i")
    terminal.wait_for("导入佐证材料")
    terminal.keys("收", literal=True)
    terminal.wait_for("~/收件/")  # the completion, greyed
    terminal.accept_completion("客运科-7月.csv")  # the tree opens the folder taken
    terminal.keys("客", literal=True)
    terminal.wait_for("~/收件/客运科-7月.csv")  # the completion, greyed
    shown = terminal.accept_completion("新增 2 · 替换 0 · 未变 0")
    # k7-1 is a second Q3 item of 三、1 (+1); k7-2 (四、1) earns nothing without 格式规范
    assert "客运科  新增 2  三、1  四、1" in shown
    assert "总分 37.5 → 38.5（三、1 +1）" in shown
    terminal.keys("Enter")
    shown = terminal.wait_for("共 40 条")
    assert "得分  38.5 / 100" in shown
    assert "七月客运信用信息报送" in shown
    terminal.keys("u")
    shown = terminal.wait_for("共 38 条")
    assert "得分  37.5 / 100" in shown
    terminal.keys("q")
