"""Pilot tests of the clerk's workflows on the demo store (today fixed at 2024-07-15)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from credit_tui.scoring.calendar import TaskStatus
from credit_tui.service.demo import DEMO_TODAY, build_demo
from credit_tui.store.database import Store
from credit_tui.tui.app import CreditApp, make_app
from credit_tui.tui.screens.calendar import CalendarScreen
from credit_tui.tui.screens.form import EvidenceForm
from credit_tui.tui.screens.indicator import IndicatorScreen
from credit_tui.tui.screens.tasks import TasksScreen
from credit_tui.tui.widgets.chrome import NavTabs
from credit_tui.tui.widgets.keybar import KeyBar
from credit_tui.tui.widgets.score_panel import ScorePanel

SIZE = (120, 40)


@pytest.fixture
def demo_path(tmp_path: Path) -> Path:
    path = tmp_path / "demo.db"
    build_demo(path).close()
    return path


@pytest.fixture
def app(demo_path: Path) -> Iterator[CreditApp]:
    store = Store.open(demo_path)
    yield make_app(store, DEMO_TODAY, poll_seconds=0)
    store.close()


async def settle(pilot: Pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def panel_total(app: CreditApp) -> str:
    """The total as the score panel shows it (``37.5``)."""
    text = app.screen.query_one(ScorePanel).render()
    match = re.search(r"得分\s+([\d.]+)", str(text))
    assert match, text
    return match.group(1)


def q2_study(app: CreditApp) -> TaskStatus:
    return next(
        o.status
        for o in app.bench.occurrences
        if (o.spec.indicator, o.spec.component, o.due) == ("1.4", "study", date(2024, 6, 30))
    )


async def test_enter_delete_undo_moves_the_panel(demo_path: Path) -> None:
    # Start without the demo's Q2 meeting of 1.4, so Q2 is open (and already lost as of 07-15).
    store = Store.open(demo_path)
    store.delete("demo-009")
    app = make_app(store, DEMO_TODAY, poll_seconds=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("5", "right", "right", "right")  # 一、4
        assert app.current_indicator == "1.4"
        before = panel_total(app)
        assert q2_study(app) is TaskStatus.LOST

        await pilot.press("n")
        form = app.screen
        assert isinstance(form, EvidenceForm)
        form.query_one("#f-date", Input).value = "2024/5/20"
        form.query_one("#f-title", Input).value = "二季度领导小组专题学习会"
        await pilot.press("ctrl+s")
        await settle(pilot)

        assert isinstance(app.screen, IndicatorScreen)
        assert float(panel_total(app)) == float(before) + 1  # one quarter of 1.4: +1 point
        assert q2_study(app) is TaskStatus.DONE
        assert "（第二季度） 已完成" in str(app.screen.query_one("#ind-deadlines", Static).render())

        await pilot.press("down")  # the table's cursor is on the newest record: ours
        app.screen.query_one("#ind-evidence", DataTable).focus()
        await pilot.press("d")
        await pilot.press("enter")  # confirm 确定
        await settle(pilot)
        assert panel_total(app) == before
        assert q2_study(app) is TaskStatus.LOST

        await pilot.press("4", "u")  # undo on the evidence list
        await settle(pilot)
        assert float(panel_total(app)) == float(before) + 1
        assert q2_study(app) is TaskStatus.DONE
    store.close()


async def test_invalid_date_shows_the_chinese_error_and_saves_nothing(app: CreditApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        count = len(app.bench.records)
        await pilot.press("5", "right", "right", "right", "n")
        form = app.screen
        assert isinstance(form, EvidenceForm)
        form.query_one("#f-date", Input).value = "2024-02-30"
        form.query_one("#f-title", Input).value = "专题学习"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form  # still open
        error = str(form.query_one("#err-date", Static).render())
        assert "日期" in error and "不是有效日期" in error
        assert len(app.bench.records) == count
        assert len(app.bench.store.records()) == count


async def test_filter_the_task_list_to_a_department(app: CreditApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        screen = app.screen
        assert isinstance(screen, TasksScreen)
        screen.select_department("客运科")
        await pilot.pause()
        table = screen.query_one("#task-table", DataTable)
        codes = {str(table.get_row_at(i)[0]) for i in range(table.row_count)}
        # 客运科 shares 4.2 (信用评价) but not 1.1 (领导小组: 法规科、办公室).
        assert "四、2" in codes and "一、1" not in codes
        catalog = app.bench.catalog
        shared = sum(
            "客运科" in c.departments for ind in catalog.indicators for c in ind.components
        )
        # and then the key tasks it shares: （四）（五）（七） (重点任务, never scored)
        tasks = [t.numeral for t in catalog.key_tasks if "客运科" in t.departments]
        assert tasks == ["四", "五", "七"]
        assert table.row_count == shared + 3
        assert str(table.get_row_at(shared)[0]) == "重点"
        assert str(table.get_row_at(shared)[4]) == "不计分"


async def test_calendar_moves_to_september_and_opens_an_occurrence(app: CreditApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("3", "pagedown", "pagedown")
        screen = app.screen
        assert isinstance(screen, CalendarScreen)
        assert "2024 年 9 月" in str(screen.query_one("MonthGrid").border_title)
        await pilot.press("down", "down", "right")  # 9-15 → 9-29 → 9-30
        await pilot.pause()
        table = screen.query_one(DataTable)
        # the quarter end: 13 scored occurrences fall due, then 8 key-task checks (重点任务
        # （一）（二）（四）（五）（七）（八） quarterly, （三）（六） monthly; （九） is due 10-31)
        assert table.row_count == 13 + 8
        first = table.get_row_at(0)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, IndicatorScreen)
        assert app.current_indicator == "1.2"  # 一、2 月度台账（9 月）is the first that day
        assert str(first[0]) == "一、2"


async def test_palette_jumps_to_seven_two(app: CreditApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"7.2")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, IndicatorScreen)
        assert app.current_indicator == "7.2"
        title = str(app.screen.query_one("#ind-title", Static).render())
        assert title.startswith("七、2")


async def test_outside_changes_are_picked_up(demo_path: Path) -> None:
    store = Store.open(demo_path)
    app = make_app(store, DEMO_TODAY, poll_seconds=0.1)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = len(app.bench.records)
        other = Store.open(demo_path)
        from credit_tui.scoring import make_evidence

        other.save(make_evidence(other.catalog, {"indicator": "6.3", "date": "2024-07-12",
                                                 "title": "赴先进地区交流学习"}), [])  # fmt: skip
        other.close()
        for _ in range(30):
            await pilot.pause(0.1)
            await settle(pilot)
            if len(app.bench.records) == before + 1:
                break
        assert len(app.bench.records) == before + 1
    store.close()


ENGLISH = re.compile(r"[A-Za-z]{2,}")
KEY_NAMES = {"Esc", "Enter", "Tab", "PgUp", "PgDn", "ctrl"}


def _words(text: str) -> set[str]:
    return {w for w in ENGLISH.findall(text) if w not in KEY_NAMES}


async def test_no_english_in_footer_tabs_and_palette(app: CreditApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key in ("1", "2", "3", "4", "5"):
            await pilot.press(key)
            await pilot.pause()
            footer = app.screen.query_one(KeyBar).render().plain
            assert "录入" in footer and "退出" in footer, footer
            assert not _words(footer), footer
            tabs = app.screen.query_one(NavTabs).render().plain
            assert "1 总览" in tabs and "5 指标" in tabs, tabs
            assert not _words(tabs), tabs
        commands = list(app.get_system_commands(app.screen))
        assert [c.title for c in commands] == ["主题", "快捷键", "截图", "退出"]
        assert not _words(" ".join(f"{c.title} {c.help}" for c in commands))
        await pilot.press("ctrl+p")
        await pilot.pause()
        palette_input = app.screen.query_one(Input)
        assert not _words(palette_input.placeholder)


async def test_dashboard_compares_with_a_snapshot(demo_path: Path) -> None:
    store = Store.open(demo_path)
    app = make_app(store, DEMO_TODAY, poll_seconds=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # Freeze today's score, then add a Q3 meeting of 1.4 (+1 point) and compare.
        app.bench.save_snapshot("七月中旬")
        from credit_tui.scoring import make_evidence

        meeting = {"indicator": "1.4", "date": "2024-07-12", "title": "三季度专题学习"}
        app._after_change(app.bench.save(make_evidence(app.bench.catalog, meeting), []))
        await pilot.press("1", "c")
        await pilot.pause()
        await pilot.press("enter")  # the only snapshot
        await settle(pilot)
        box = app.screen.query_one("#comparison", Static)
        assert box.display
        shown = str(box.render())
        assert "总分 37.5 → 38.5" in shown and "一、4 2 → 3" in shown
    store.close()


async def test_palette_exports_the_ledger_and_records_it(demo_path: Path) -> None:
    store = Store.open(demo_path)
    app = make_app(store, DEMO_TODAY, poll_seconds=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = app.bench.report.earned
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"本月工作台账")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)  # the export runs in a worker, then asks
        out = demo_path.parent / "导出" / "2024-07 月度工作台账.xlsx"
        assert out.is_file()
        await pilot.press("enter")  # 确定: record it as 1.2 evidence for July
        await settle(pilot)
        recorded = app.bench.records.get("ledger-2024-07")
        assert recorded is not None and recorded.indicator == "1.2"
        assert recorded.component == "monthly" and recorded.attachments
        assert app.bench.report.earned == before  # July has not ended: 1.2 stays as it was
    store.close()


async def test_a_read_only_store_opens_for_viewing_with_a_banner(demo_path: Path) -> None:
    store = Store.open(demo_path, read_only=True)
    app = make_app(store, DEMO_TODAY, poll_seconds=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        header = app.screen.query_one("#app-header", Static)
        assert str(header.render()).startswith("只读（仅可查看）")
        assert header.has_class("-read-only")
        assert panel_total(app) == "37.5"  # the score is all there to see
        await pilot.press("n")
        await pilot.pause()
        assert not isinstance(app.screen, EvidenceForm)  # nothing to type into
    store.close()


async def test_department_counts_redraw_after_a_save(demo_path: Path) -> None:
    """Only the departments whose counts changed get a new prompt, and they show the new counts."""
    from textual.geometry import Region

    from credit_tui.scoring import make_evidence
    from credit_tui.tui.screens.tasks import DepartmentList

    store = Store.open(demo_path)
    store.delete("demo-009")  # 1.4's Q2 study: lost as of 07-15
    app = make_app(store, DEMO_TODAY, poll_seconds=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        listing = app.screen.query_one(DepartmentList)
        region = Region(0, 0, listing.size.width, listing.option_count)

        def painted() -> list[str]:
            return [strip.text.rstrip() for strip in listing.render_lines(region)]

        def prompts() -> list[object]:
            return [option.prompt for option in listing.options]

        before, prompts_before = painted(), prompts()
        record = make_evidence(
            app.bench.catalog, {"indicator": "1.4", "date": "2024-05-20", "title": "专题学习"}
        )
        app._after_change(app.bench.save(record, []))
        await settle(pilot)
        after, prompts_after = painted(), prompts()
        assert after == [str(option.prompt).rstrip() for option in listing.options]
        changed = [i for i, (old, new) in enumerate(zip(before, after, strict=True)) if old != new]
        assert 0 in changed and len(changed) < listing.option_count  # 全部, and not everyone
        for i, option in enumerate(listing.options):
            kept = prompts_after[i] is prompts_before[i]
            assert kept == (i not in changed), option.prompt
    store.close()
