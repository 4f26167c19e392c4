"""Issue #14 item 1 in the workbench: a gated component's rows say what is missing (缺 领导小组)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.widgets import DataTable

from credit_tui.service.demo import DEMO_TODAY, build_demo
from credit_tui.store.database import Store
from credit_tui.tui.app import CreditApp, make_app
from credit_tui.tui.screens.calendar import CalendarScreen
from credit_tui.tui.screens.tasks import TasksScreen
from credit_tui.tui.widgets.month_grid import MonthGrid

NOTE = "缺 领导小组"


@pytest.fixture
def app_without_group(tmp_path: Path) -> Iterator[CreditApp]:
    # the demo without its 领导小组 record (demo-001): the 专班 (demo-002, 2 people) earns 0
    path = tmp_path / "demo.db"
    build_demo(path).close()
    store = Store.open(path)
    assert store.delete("demo-001")
    yield make_app(store, DEMO_TODAY, poll_seconds=0)
    store.close()


def _labels(table: DataTable) -> list[str]:
    return [str(table.get_row_at(i)[1]) for i in range(table.row_count)]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_calendar_day_list_names_what_is_missing(
    app_without_group: CreditApp, size: tuple[int, int]
) -> None:
    app = app_without_group
    async with app.run_test(size=size) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("3")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CalendarScreen)
        screen.query_one(MonthGrid).selected = date(2024, 4, 30)
        await pilot.pause()
        table = screen.query_one(DataTable)
        labels = _labels(table)
        # 04-30: 一、1 领导小组 and 一、1 信用工作办公室/专班 are due; only the 专班 is gated
        office = [t for t in labels if NOTE in t]
        assert len(office) == 1 and office[0].startswith("信用工作")
        assert office[0].endswith(NOTE)  # the label gives way, the note stays whole
        width = table.ordered_columns[1].width
        assert cell_len(office[0]) <= width
        assert not any(NOTE in t for t in labels if t.startswith("领导小组"))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_task_list_names_what_is_missing(
    app_without_group: CreditApp, size: tuple[int, int]
) -> None:
    app = app_without_group
    async with app.run_test(size=size) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("2")
        await pilot.app.workers.wait_for_complete()
        screen = app.screen
        assert isinstance(screen, TasksScreen)
        await pilot.pause()
        table = screen.query_one("#task-table", DataTable)
        rows = [table.get_row_at(i) for i in range(table.row_count)]
        noted = [(str(r[0]), str(r[1])) for r in rows if NOTE in str(r[1])]
        # only 一、1's 专班 waits for the group; its label ends with the note, within its column
        assert [code for code, _ in noted] == ["一、1"]
        assert noted[0][1].endswith(NOTE)
        assert cell_len(noted[0][1]) <= table.ordered_columns[1].width


async def test_with_the_group_no_row_says_missing(tmp_path: Path) -> None:
    # the full demo has the group (04-08) before the office record: nothing is missing
    path = tmp_path / "demo.db"
    build_demo(path).close()
    store = Store.open(path)
    app = make_app(store, DEMO_TODAY, poll_seconds=0)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.press("2")
            await pilot.pause()
            table = app.screen.query_one("#task-table", DataTable)
            assert not any(NOTE in str(table.get_row_at(i)[1]) for i in range(table.row_count))
    finally:
        store.close()
