"""The calendar's month summary counts what the day dots count: scored items and 重点任务."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual.widgets import Static

from credit_tui.service.demo import DEMO_TODAY, build_demo
from credit_tui.store.database import Store
from credit_tui.tui.app import make_app
from credit_tui.tui.screens.calendar import CalendarScreen
from credit_tui.tui.widgets.month_grid import MonthGrid


async def test_month_summary_counts_key_task_checks_like_the_dots(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    build_demo(path).close()
    store = Store.open(path)
    app = make_app(store, DEMO_TODAY, poll_seconds=0)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.press("3")
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, CalendarScreen)
            screen.query_one(MonthGrid).selected = date(2024, 9, 10)
            for _ in range(100):  # the summary follows the selected month (slower under load)
                await pilot.pause(0.02)
                text = str(screen.query_one("#month-summary", Static).render())
                if text.startswith("9 月"):
                    break
            # September: 13 scored occurrences, and 8 重点任务 checks on 9-30 (（三）（六）
            # monthly, （一）（二）（四）（五）（七）（八） quarterly) = 21, as the dots count
            assert "9 月共 21 个时间节点（重点 8）" in text
            bench = app.bench  # what refresh_data marks the days with
            dots = sum(o.due.month == 9 for o in bench.occurrences) + sum(
                o.due.month == 9 for o in bench.key_task_occurrences()
            )
            assert dots == 21
    finally:
        store.close()
