"""80×24 polish of issue 16: key bars whole, category bars once, 各单位 aligned; the palette
and the form's indicator field find the same indicators."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.widgets import Static

from credit_tui.service.demo import DEMO_TODAY, build_demo
from credit_tui.tui.app import CreditApp, make_app
from credit_tui.tui.screens.indicator import IndicatorScreen
from credit_tui.tui.widgets.keybar import KeyBar
from credit_tui.tui.widgets.score_panel import ScorePanel


@pytest.fixture
def app(tmp_path: Path) -> Iterator[CreditApp]:
    store = build_demo(tmp_path / "demo.db")
    yield make_app(store, DEMO_TODAY, poll_seconds=0)
    store.close()


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_the_calendar_key_bar_is_whole_at_80_columns(app: CreditApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        drawn = app.screen.query_one(KeyBar).render().plain
        assert cell_len(drawn) <= 80
        # every calendar key, help and the palette; 得分栏 and 退出 give way (? lists them)
        for part in ("←→ 日", "↑↓ 周", "PgUp 上月", "PgDn 下月", "t 今天", "w 日/周", "n 录入"):
            assert part in drawn
        assert "? 帮助" in drawn and drawn.rstrip().endswith("^p 命令")
        assert "得分栏" not in drawn and "退出" not in drawn


async def test_the_calendar_key_bar_keeps_everything_at_120_columns(app: CreditApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        drawn = app.screen.query_one(KeyBar).render().plain
        assert "  s 得分栏  ? 帮助  q 退出 " in drawn


async def test_category_bars_are_shown_once_on_the_dashboard(app: CreditApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        panel = str(app.screen.query_one(ScorePanel).render())
        body = str(app.screen.query_one("#categories", Static).render())
        assert "一、制度建设" in body and "█" in body
        assert "得分  37.5 / 100" in panel and "█" not in panel
        await pilot.press("2")  # other screens' panels keep their bars
        await settle(pilot)
        assert "一 █" in str(app.screen.query_one(ScorePanel).render())


async def test_department_counts_start_in_one_column(app: CreditApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        lines = str(app.screen.query_one("#departments", Static).render()).splitlines()
        assert len(lines) == 16
        # 市政道路桥梁服务中心 is the longest name: 10 CJK characters = 20 cells, then one space
        assert {cell_len(line[: line.index("待办")]) for line in lines} == {21}


@pytest.mark.parametrize("typed", ["三、1", "三1", "3.1", "报送"])
async def test_the_palette_finds_what_the_form_finds(app: CreditApp, typed: str) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*typed)
        await pilot.pause(0.4)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, IndicatorScreen)
        assert app.current_indicator == "3.1"
