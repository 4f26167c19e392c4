"""Snapshots of the dialogs of issue 16 at 80×24 and 120×40 on the demo store (2024-07-15).

The home folder is ``home/`` under the test's folder and the last import was from
``home/收件/``, so the paths shown are the same on every machine. Each docstring
says what must be visible; the SVGs were looked at before they were accepted.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest
from dialog_helpers import settle, tree_loaded
from textual.pilot import Pilot
from textual.widgets import Input

from credit_tui.service.demo import DEMO_TODAY, build_demo
from credit_tui.service.import_preview import remember_import_folder
from credit_tui.tui.app import CreditApp, make_app

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
GOOD = (
    "编号,指标,日期,责任单位,标题\n"
    "k7-1,3.1,2024-07-10,客运科,七月客运信用信息报送\n"
    "k7-2,4.1,2024-07-12,客运科,客运企业信用承诺书（第二批）\n"
    "h7-1,4.1,2024-07-12,货运科,货运企业信用承诺书\n"
)
BAD = "指标,日期,责任单位,标题\n3.1,2024-02-30,客运科,二月信息\n9.9,2024-07-01,客运科,未知指标\n"


@pytest.fixture
def dialog_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CreditApp]:
    home = tmp_path / "home"
    inbox = home / "收件"
    inbox.mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    (inbox / "客运科-7月.csv").write_text(GOOD, "utf-8")
    (inbox / "坏文件.csv").write_text(BAD, "utf-8")
    (inbox / "说明.txt").write_text("不是导入文件", "utf-8")
    (home / "材料").mkdir()
    (home / "材料" / "会议纪要.txt").write_text("七月专题会议纪要\n" * 100, "utf-8")
    store = build_demo(tmp_path / "db" / "demo.db")
    remember_import_folder(store.path, inbox)
    yield make_app(store, DEMO_TODAY, poll_seconds=0)
    store.close()


def steps(*presses: str, tree: bool = True) -> Callable[[Pilot], Awaitable[None]]:
    """Wait for the data, press the keys (a ``tree`` is waited for after ``i``/``ctrl+o``)."""

    async def run(pilot: Pilot) -> None:
        await settle(pilot)
        for key in presses:
            await pilot.press(key)
            if tree and key in ("i", "ctrl+o"):
                await tree_loaded(pilot)
            await settle(pilot)
        await steady(pilot)

    return run


async def steady(pilot: Pilot) -> None:
    """Settle, with every text box's cursor shown without blinking (else the phase of the
    blink, which depends on how long the tree took to load, decides the picture)."""
    await settle(pilot, 0.2)
    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False
    await settle(pilot, 0.1)


@pytest.mark.parametrize("size", SIZES)
def test_import_dialog_opened(snap_compare, dialog_app: CreditApp, size: tuple[int, int]) -> None:
    """导入佐证材料 opened with i on 证据: 文件 ~/收件/ (the last import's folder); the tree
    rooted at 收件 lists 坏文件.csv and 客运科-7月.csv, not 说明.txt; 预览 says a file or
    folder is to be chosen; 导入 Enter greyed, 取消 Esc."""
    assert snap_compare(dialog_app, terminal_size=size, run_before=steps("4", "i"))


@pytest.mark.parametrize("size", SIZES)
def test_import_preview(snap_compare, dialog_app: CreditApp, size: tuple[int, int]) -> None:
    """客运科-7月.csv chosen in the tree (tab, down twice, Enter): 文件 ~/收件/客运科-7月.csv;
    预览 新增 3 · 替换 0 · 未变 0; 客运科 新增 2 三、1 四、1; 货运科 新增 1 四、1 (columns
    aligned); 总分 37.5 → 38.5（三、1 +1）; the green Enter hint; 导入 Enter enabled."""
    assert snap_compare(
        dialog_app,
        terminal_size=size,
        run_before=steps("4", "i", "tab", "down", "down", "enter"),
    )


@pytest.mark.parametrize("size", SIZES)
def test_import_bad_file(snap_compare, dialog_app: CreditApp, size: tuple[int, int]) -> None:
    """坏文件.csv chosen (tab, down, Enter): in red 有 2 处错误，未导入任何记录：, then
    坏文件.csv:2: 日期: … 2024-02-30 … and 坏文件.csv:3: 指标: … 9.9 …; 导入 Enter greyed."""
    assert snap_compare(
        dialog_app, terminal_size=size, run_before=steps("4", "i", "tab", "down", "enter")
    )


@pytest.mark.parametrize("size", SIZES)
def test_form_indicator_filtered(
    snap_compare, dialog_app: CreditApp, size: tuple[int, int]
) -> None:
    """录入 opened with n on 总览 (no indicator): the 指标 box has the focus, 信易 typed,
    the list under it shows only 七、1 “信易+”政策文件, 七、2 “信易+”场景应用 and
    七、3 “信易+”典型场景宣传, the first highlighted; the other fields below."""
    assert snap_compare(
        dialog_app, terminal_size=size, run_before=steps("n", "信", "易", tree=False)
    )


@pytest.mark.parametrize("size", SIZES)
def test_file_picker(snap_compare, dialog_app: CreditApp, size: tuple[int, int]) -> None:
    """选择附件 from the form (ctrl+o), ~/材料/会议纪要.txt typed and Enter: 已选 lists
    1. 会议纪要.txt 2.4 KB ~/材料 (2,500 bytes / 1024 = 2.44), and Delete / ^s hints."""

    async def run(pilot: Pilot) -> None:
        await steps("5", "right", "right", "right", "n", "ctrl+o")(pilot)
        box = pilot.app.screen.query_one("#picker-path")
        box.value = "~/材料/会议纪要.txt"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await steady(pilot)

    assert snap_compare(dialog_app, terminal_size=size, run_before=run)
