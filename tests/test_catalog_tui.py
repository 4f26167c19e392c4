"""The workbench with a table that dropped an indicator: its records listed as 未归属."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from textual.widgets import Select

from credit_tui.interchange.table import apply
from credit_tui.interchange.table.check import check_raw
from credit_tui.scoring.catalog import catalog_path
from credit_tui.service.demo import DEMO_TODAY, build_demo
from credit_tui.store.database import Store
from credit_tui.tui.app import make_app
from credit_tui.tui.screens.evidence import EvidenceScreen, EvidenceTable
from credit_tui.tui.screens.unassigned import UNASSIGNED


@pytest.fixture
def orphan_db(tmp_path: Path) -> Path:
    """The demo store after a table that moved 4.5 信用修复 to a new code 4.6."""
    path = tmp_path / "demo.db"
    store = build_demo(path)
    raw = tomllib.loads(catalog_path(2024).read_text(encoding="utf-8"))
    ind = next(i for i in raw["indicators"] if i["code"] == "4.5")
    ind["code"] = "4.6"
    new = check_raw(raw, "新表")
    apply.apply(store, apply.plan(store, new, DEMO_TODAY, "新表"), "新表")
    store.close()
    return path


async def test_unassigned_records_are_listed_under_their_filter(orphan_db: Path) -> None:
    store = Store.open(orphan_db)
    app = make_app(store, DEMO_TODAY, poll_seconds=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        for key in "12354":  # every screen draws with records the table no longer has
            await pilot.press(key)
            await pilot.pause()
        screen = app.screen
        assert isinstance(screen, EvidenceScreen)
        screen.query_one("#filter-indicator", Select).value = UNASSIGNED
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [r.id for r in screen._filtered] == ["demo-027", "demo-026"]  # newest first
        table = screen.query_one(EvidenceTable)
        assert [str(c) for c in table.get_row_at(0)][1:3] == ["4.5", "未归属"]
        # 37.5 with 4.5's two 1-point cases; without them 35.5 (counted nowhere)
        assert app.bench.report.earned == 71  # halves
    store.close()


async def test_an_unassigned_record_opens_in_the_form_without_a_crash(orphan_db: Path) -> None:
    store = Store.open(orphan_db)
    app = make_app(store, DEMO_TODAY, poll_seconds=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("4")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        screen.query_one("#filter-indicator", Select).value = UNASSIGNED
        await pilot.pause()
        table = screen.query_one(EvidenceTable)
        table.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "EvidenceForm"
    store.close()


async def test_the_palette_dialog_shows_the_table_and_imports_with_a_preview(tmp_path) -> None:
    from textual.widgets import Button, Static

    from credit_tui.interchange.table.toml_out import dumps
    from credit_tui.tui.screens.catalog_dialog import RELOAD, CatalogDialog, open_dialog

    path = tmp_path / "demo.db"
    store = build_demo(path)
    raw = tomllib.loads(catalog_path(2024).read_text(encoding="utf-8"))
    next(i for i in raw["indicators"] if i["code"] == "3.1")["components"][0]["quarter_cap"] = 3
    raw["organisation"] = "莱芜区交通运输局"
    new_file = tmp_path / "指标体系-2025.toml"
    new_file.write_text(dumps(check_raw(raw, "新表")), encoding="utf-8")
    app = make_app(store, DEMO_TODAY, poll_seconds=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        open_dialog(app)
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, CatalogDialog)
        info = str(dialog.query_one("#catalog-info", Static).render())
        assert info.splitlines() == [
            "2024 年度 · 济南市钢城区城乡交通运输局 · 钢城交发〔2024〕3 号 · 2024-04-18 印发",
            "7 类 · 23 项指标 · 27 个事项 · 100 分 · 重点任务 9 项 · 责任单位 16 个",
            "来源：内置 2024 年度（2024-07-15）",
        ]
        await pilot.click("#catalog-import")
        await pilot.pause()
        await pilot.press(*str(new_file), "enter")
        await pilot.pause()
        preview = str(dialog.query_one("#catalog-preview", Static).render())
        assert "简称 钢城区城乡交通运输局 → 莱芜区交通运输局" in preview
        assert "三、1 报送信用工作信息：单季上限 2 → 3" in preview
        assert "总分（截至 2024-07-15）：37.5 → 37.5（不变）" in preview
        assert dialog.query_one("#catalog-apply", Button).display
        await pilot.click("#catalog-apply")
        await pilot.pause()
    assert app.return_value == RELOAD
    store.forget_catalog()
    assert store.catalog.organisation == "莱芜区交通运输局"
    assert make_app(store, DEMO_TODAY).header_text().startswith("信用交通县创建工作台 · 莱芜区")
    store.close()


async def test_key_task_records_show_their_task_and_are_not_unassigned(tmp_path) -> None:
    from credit_tui.scoring import make_evidence

    path = tmp_path / "demo.db"
    store = build_demo(path)
    fields = {"indicator": "重点任务（六）", "date": "2024-07-10", "title": "7 月红黑名单推送"}
    record = make_evidence(store.catalog, fields, today=DEMO_TODAY)
    store.save(record)
    app = make_app(store, DEMO_TODAY, poll_seconds=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("4")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, EvidenceScreen)
        table = screen.query_one(EvidenceTable)
        row = [str(c) for c in table.get_row(record.id)]
        assert row[1:3] == [
            "重点任务",
            "重点任务（六）加强事后信用奖惩（红黑名单推送公示、异议处理）",
        ]
        screen.query_one("#filter-indicator", Select).value = "重点任务"
        await pilot.pause()
        assert [r.id for r in screen._filtered] == [record.id]
        screen.query_one("#filter-indicator", Select).value = UNASSIGNED
        await pilot.pause()
        assert screen._filtered == []
        assert app.bench.report.earned == 75  # halves: the demo's 37.5, the task adds nothing
    store.close()


async def test_a_key_task_in_the_calendar_takes_evidence_through_the_form(tmp_path) -> None:
    from textual.widgets import Input

    from credit_tui.tui.screens.calendar import CalendarScreen, OccurrenceTable

    store = build_demo(tmp_path / "demo.db")
    app = make_app(store, DEMO_TODAY, poll_seconds=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        for key in ("3", "pagedown", "pagedown", "down", "down", "right"):  # 2024-09-30
            await pilot.press(key)
            await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CalendarScreen)
        assert screen.query_one("#day-pane").border_title.endswith("· 13 项 · 重点任务 8 项")
        table = screen.query_one(OccurrenceTable)
        table.focus()
        table.move_cursor(row=13)  # after the 13 scored occurrences: （一） 第三季度
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        form.query_one("#f-title", Input).value = "第三季度信用专题学习"
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
    saved = [r for r in store.records() if r.title == "第三季度信用专题学习"]
    assert [(r.indicator, r.component, r.department, r.date.isoformat()) for r in saved] == [
        ("重点任务", "study", "法规科", "2024-07-15")
    ]
    store.close()


async def test_the_dashboard_comparison_says_the_table_changed_since_the_snapshot(tmp_path) -> None:
    from textual.widgets import Static

    from credit_tui.scoring.engine import score
    from credit_tui.tui.screens.dashboard import DashboardScreen

    store = build_demo(tmp_path / "demo.db")
    report = score(store.catalog, store.records(), year=2024, as_of=DEMO_TODAY)
    store.save_snapshot("第二季度末", report.to_dict())
    raw = tomllib.loads(catalog_path(2024).read_text(encoding="utf-8"))
    raw["version"] = "2025"
    new = check_raw(raw, "新表")
    apply.apply(store, apply.plan(store, new, DEMO_TODAY, "新表"), "新表")
    app = make_app(store, DEMO_TODAY, poll_seconds=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        screen.show_comparison(store.snapshots()[0])
        await pilot.pause()
        text = str(screen.query_one("#comparison", Static).render())
        assert "注意：快照按 2024 年度指标体系计分，当前为 2025 年度" in text
        assert "总分 37.5 → 37.5" in text
    store.close()


async def test_the_forms_indicator_field_finds_a_key_task_by_typing(tmp_path) -> None:
    from textual.widgets import Input

    from credit_tui.tui.screens.key_task_field import KeyTaskIndicatorField

    store = build_demo(tmp_path / "demo.db")
    app = make_app(store, DEMO_TODAY, poll_seconds=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.open_form({})
        await pilot.pause()
        form = app.screen
        field = form.query_one("#f-indicator", KeyTaskIndicatorField)
        field.focus()
        await pilot.press(*"双公示")
        await pilot.pause()
        assert field._codes == ["重点任务（三）"]  # no indicator's name has 双公示
        field.box.value = "重点"
        await pilot.pause()
        assert len(field._codes) == 9  # 重点 typed: every key task, （一）–（九）
        field.box.value = "双公示"
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert field.value == "重点任务（三）"
        form.query_one("#f-title", Input).value = "7 月“双公示”核对"
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
    saved = [r for r in store.records() if r.title == "7 月“双公示”核对"]
    assert [(r.indicator, r.component, r.department) for r in saved] == [
        ("重点任务", "double_publicity", "政务服务大厅交通窗口")
    ]
    store.close()
