"""Snapshots of every screen and the form, at 80×24 and 120×40, on the demo store as of 2024-07-15.

Each docstring says what must be visible; the SVGs under ``__snapshots__`` were
looked at and judged right before they were accepted.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

from credit_tui.service.demo import DEMO_TODAY, build_demo
from credit_tui.tui.app import CreditApp, make_app

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.fixture
def demo_app(tmp_path: Path) -> Iterator[CreditApp]:
    store = build_demo(tmp_path / "demo.db")
    yield make_app(store, DEMO_TODAY, poll_seconds=0)
    store.close()


def keys(*presses: str) -> Callable[[Pilot], Awaitable[None]]:
    """Wait for the data to load, press the keys, and wait for every worker to settle."""

    async def run(pilot: Pilot) -> None:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        for key in presses:
            await pilot.press(key)
            await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    return run


@pytest.mark.parametrize("size", SIZES)
def test_dashboard(snap_compare, demo_app: CreditApp, size: tuple[int, int]) -> None:
    """总览: header with 2024 年度 · 截至 2024-07-15; tab 1 总览 active; total 37.5/100 with
    已得 37.5 · 已失 2 · 可达 98 and 预计（含计划）47.5; seven category bars (二、三 with 失 1);
    已逾期: 二、2 协调机制 and 五、3 一把手谈信用; 已失分: 二、1 and 三、1; at 120 columns the
    trend sparkline, the department ranking (names padded to the longest) and the score
    panel column without category bars (the body's 分类得分 shows them once); at 80 the stacked
    layout with the one-line panel 总分 37.5/100 · 失 2 · 可达 98 · 预计 47.5."""
    assert snap_compare(demo_app, terminal_size=size, run_before=keys())


@pytest.mark.parametrize("size", SIZES)
def test_tasks(snap_compare, demo_app: CreditApp, size: tuple[int, int]) -> None:
    """任务: the department list (全部 first, 法规科 with 逾期 2 and 失分 2) and the 27 items of
    全部 with status words in colour (二、1 and 三、1 已失分, 二、2 and 五、3 已逾期), next due
    date, earned/max, evidence count, and the cyan 计划 tag on 五、3, 七、1 and 七、2."""
    assert snap_compare(demo_app, terminal_size=size, run_before=keys("2"))


@pytest.mark.parametrize("size", SIZES)
def test_calendar_september(snap_compare, demo_app: CreditApp, size: tuple[int, int]) -> None:
    """日历 moved two months on to September 2024 (weeks from 周一), day 15 selected, 30 marked
    with a dot and 21 (13 scored occurrences and 8 重点任务 checks); then `t` is not pressed,
    so the list shows 9 月 15 日 with no items; the footer lists the calendar keys (日, 周,
    上月, 下月, 今天 … n 录入, ? 帮助 and ^p 命令 even at 80 columns, where the spaces after
    labels and 得分栏/退出 give way)."""
    assert snap_compare(demo_app, terminal_size=size, run_before=keys("3", "pagedown", "pagedown"))


@pytest.mark.parametrize("size", SIZES)
def test_calendar_quarter_end(snap_compare, demo_app: CreditApp, size: tuple[int, int]) -> None:
    """日历 on 2024-09-30 (PgDn twice, then down twice to the last week and right to 周一 30):
    the day's 13 occurrences with indicator code, item, status, departments and points,
    then its 8 重点任务 checks (重点 · 不计分)."""
    assert snap_compare(
        demo_app,
        terminal_size=size,
        run_before=keys("3", "pagedown", "pagedown", "down", "down", "right"),
    )


@pytest.mark.parametrize("size", SIZES)
def test_evidence_list(snap_compare, demo_app: CreditApp, size: tuple[int, int]) -> None:
    """证据: the filter bar (全部指标, 全部单位, 从/到, 文字) and the 38 demo records newest
    first (七、2 “信易贷”放款数据 2024-09-20 计划 in cyan at the top), with the count line."""
    assert snap_compare(demo_app, terminal_size=size, run_before=keys("4"))


@pytest.mark.parametrize("size", SIZES)
def test_indicator_detail(snap_compare, demo_app: CreditApp, size: tuple[int, int]) -> None:
    """指标 for 一、2 (one step right from 一、1): 评估标准 text, the cyan 评分口径, 责任单位,
    得分明细 with 创建工作方案 2/2 and 月度台账 2/2 and their reasons, the monthly
    deadlines 4–12 月 with status, and the four evidence records."""
    assert snap_compare(demo_app, terminal_size=size, run_before=keys("5", "right"))


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare, demo_app: CreditApp, size: tuple[int, int]) -> None:
    """? 帮助: the key list in Chinese, grouped 全局 / 任务 / 日历 / 证据 (with i 导入) / 指标 /
    导入 / 录入, no description wrapped onto a line of its own."""
    assert snap_compare(demo_app, terminal_size=size, run_before=keys("question_mark"))


@pytest.mark.parametrize("size", SIZES)
def test_evidence_form(snap_compare, demo_app: CreditApp, size: tuple[int, int]) -> None:
    """录入 opened with n from 指标 一、4: indicator 一、4 and component 领导小组季度研究及专题学习
    prefilled, date field, 责任单位 法规科, 标题, 材料类型, 状态 已完成/计划, 附件 and 备注, the
    保存 ^s / 取消 Esc buttons; 选择… ^o beside 附件; no item, quantity or flag fields (1.4
    reads none)."""
    assert snap_compare(
        demo_app,
        terminal_size=size,
        run_before=keys("5", "right", "right", "right", "n"),
    )


def _open_catalog_dialog(preview: bool) -> Callable[[Pilot], Awaitable[None]]:
    async def run(pilot: Pilot) -> None:
        import tomllib

        from credit_tui.interchange.table.check import check_raw
        from credit_tui.interchange.table.toml_out import dumps
        from credit_tui.scoring.catalog import catalog_path
        from credit_tui.tui.screens.catalog_dialog import open_dialog

        await keys()(pilot)
        open_dialog(pilot.app)
        await pilot.pause()
        if preview:
            raw = tomllib.loads(catalog_path(2024).read_text(encoding="utf-8"))
            ind = next(i for i in raw["indicators"] if i["code"] == "3.1")
            ind["components"][0]["quarter_cap"] = 3
            ind["components"][0]["departments"] = ["综合规划科", "办公室"]
            raw["departments"] = ["综合规划科" if d == "法规科" else d for d in raw["departments"]]
            raw["department_aliases"]["法规科"] = "综合规划科"
            out = pilot.app.bench.store.path.parent / "新指标体系.toml"
            out.write_text(dumps(check_raw(raw, "新表")), encoding="utf-8")
            pilot.app.screen.preview(out)
            await pilot.pause()

    return run


@pytest.mark.parametrize("size", SIZES)
def test_catalog_dialog(snap_compare, demo_app: CreditApp, size: tuple[int, int]) -> None:
    """指标体系 (palette): 2024 年度 · 济南市钢城区城乡交通运输局 · 钢城交发〔2024〕3 号 ·
    2024-04-18 印发; 7 类 · 23 项指标 · 27 个事项 · 100 分 · 重点任务 … · 责任单位 16 个;
    来源：内置 2024 年度（2024-07-15）; buttons 导出工作簿 and 导入新的指标体系…."""
    assert snap_compare(demo_app, terminal_size=size, run_before=_open_catalog_dialog(False))


@pytest.mark.parametrize("size", SIZES)
def test_catalog_import_preview(snap_compare, demo_app: CreditApp, size: tuple[int, int]) -> None:
    """指标体系 import preview: 责任单位 法规科 → 综合规划科, 三、1 单季上限 2 → 3, the records
    that take the new department name, 总分（截至 2024-07-15）：37.5 → 37.5（不变）, and the
    buttons 确认导入 and 取消."""
    assert snap_compare(demo_app, terminal_size=size, run_before=_open_catalog_dialog(True))
