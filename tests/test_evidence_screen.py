"""Pilot tests of 4 证据 (filters, pages of 200, changes) and 5 指标's record list on a store
of a few hundred records: the lists show what a plain sort and loop would, and the tables
are drawn again only when the rows they hold changed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, Static

from credit_tui.scoring import make_evidence
from credit_tui.scoring.evidence import Evidence
from credit_tui.service.demo import DEMO_TODAY, build_demo
from credit_tui.store.database import Store
from credit_tui.tui.app import CreditApp, make_app
from credit_tui.tui.screens.evidence import PAGE_SIZE, EvidenceScreen, EvidenceTable
from credit_tui.tui.screens.indicator import IndicatorScreen
from credit_tui.tui.widgets.quick_table import Cell, QuickTable

SIZE = (120, 40)
EXTRA = 420
"""Records added to the demo's, so that the list has three pages."""
CODES = ("1.4", "6.3", "2.1", "1.3")


@pytest.fixture
def big_path(tmp_path: Path) -> Path:
    path = tmp_path / "big.db"
    store = build_demo(path)
    catalog = store.catalog
    records = []
    for i in range(EXTRA):
        code = CODES[i % len(CODES)]
        comp = catalog.by_code[code].components[0]
        day = date(2024, 1, 1) + timedelta(days=(i * 7) % 196)
        fields = {"id": f"big-{i:04d}", "indicator": code, "date": day.isoformat()}
        fields |= {"title": f"批量材料 {i % 37}", "department": comp.departments[i % 2]}
        records.append((make_evidence(catalog, fields), []))
    store.save_many(records)
    store.close()
    return path


@pytest.fixture
def app(big_path: Path) -> Iterator[CreditApp]:
    store = Store.open(big_path)
    yield make_app(store, DEMO_TODAY, poll_seconds=0)
    store.close()


async def settle(pilot: Pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def newest_first(app: CreditApp) -> list[Evidence]:
    return sorted(app.bench.records.values(), key=lambda r: (r.date, r.id), reverse=True)


def table_ids(table: DataTable) -> list[str | None]:
    return [key.value for key in table.rows]


def status(screen: EvidenceScreen) -> str:
    return str(screen.query_one("#evidence-status", Static).render())


async def open_list(pilot: Pilot) -> EvidenceScreen:
    await settle(pilot)
    await pilot.press("4")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, EvidenceScreen)
    return screen


async def type_filter(pilot: Pilot, screen: EvidenceScreen, widget: str, text: str) -> None:
    field = screen.query_one(widget, Input)
    field.focus()
    field.value = text
    await pilot.press("enter")
    await settle(pilot)


async def test_each_filter_lists_what_a_plain_loop_finds(app: CreditApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_list(pilot)
        every = newest_first(app)
        assert screen._filtered == every
        assert f"共 {len(every)} 条" in status(screen)

        screen.query_one("#filter-indicator", Select).value = "6.3"
        await settle(pilot)
        assert screen._filtered == [r for r in every if r.indicator == "6.3"]
        table = screen.query_one(EvidenceTable)
        assert table_ids(table) == [r.id for r in screen._filtered[:PAGE_SIZE]]

        screen.query_one("#filter-department", Select).value = "办公室"
        await settle(pilot)
        both = [r for r in every if r.indicator == "6.3" and r.department == "办公室"]
        assert both and screen._filtered == both

        await type_filter(pilot, screen, "#filter-from", "2024/3/1")
        await type_filter(pilot, screen, "#filter-to", "2024年3月31日")
        march = [r for r in both if date(2024, 3, 1) <= r.date <= date(2024, 3, 31)]
        assert march and screen._filtered == march

        screen.query_one("#filter-indicator", Select).clear()
        screen.query_one("#filter-department", Select).clear()
        await type_filter(pilot, screen, "#filter-from", "")
        await type_filter(pilot, screen, "#filter-to", "")
        await type_filter(pilot, screen, "#filter-words", "批量材料 3")
        text = app.bench.search_text  # checked field by field in test_record_index
        words = [r for r in every if "批量材料" in text(r) and "3" in text(r)]
        assert words and screen._filtered == words

        await type_filter(pilot, screen, "#filter-words", "不存在的词")
        assert screen._filtered == []
        assert "没有符合筛选条件的记录" in status(screen)


async def test_the_list_turns_pages_of_200(app: CreditApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_list(pilot)
        every = newest_first(app)
        table = screen.query_one(EvidenceTable)
        assert len(every) > 2 * PAGE_SIZE and "第 1/3 页" in status(screen)
        assert table_ids(table) == [r.id for r in every[:PAGE_SIZE]]
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert table_ids(table) == [r.id for r in every[PAGE_SIZE : 2 * PAGE_SIZE]]
        await pilot.press("up")  # past the first row: back a page, on its last row
        await settle(pilot)
        assert table_ids(table)[0] == every[0].id and table.cursor_row == PAGE_SIZE - 1
        await pilot.press("down")  # past the last row: the next page
        await settle(pilot)
        assert table_ids(table)[0] == every[PAGE_SIZE].id and table.cursor_row == 0
        await pilot.press("down", "down")
        await pilot.resize_terminal(100, 30)  # narrower columns: the page is laid out again
        await settle(pilot)
        assert table_ids(table) == [r.id for r in every[PAGE_SIZE : 2 * PAGE_SIZE]]
        assert table.cursor_row == 2


async def test_a_change_off_the_page_leaves_the_table_as_drawn(
    app: CreditApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn: list[int] = []
    real = EvidenceScreen._draw_rows
    monkeypatch.setattr(
        EvidenceScreen, "_draw_rows", lambda self, *a: (drawn.append(1), real(self, *a))[1]
    )
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_list(pilot)
        table = screen.query_one(EvidenceTable)
        table.move_cursor(row=5)
        await settle(pilot)
        chosen = table_ids(table)[5]
        count = len(app.bench.records)
        drawn.clear()

        old = make_evidence(
            app.bench.catalog, {"indicator": "6.3", "date": "2024-01-02", "title": "旧"}
        )
        app._after_change(app.bench.save(old, []))  # lands on the last page
        await settle(pilot)
        assert drawn == [] and table.cursor_row == 5 and table_ids(table)[5] == chosen
        assert f"共 {count + 1} 条" in status(screen)
        assert screen._filtered == newest_first(app)

        new = make_evidence(
            app.bench.catalog,
            {"id": "zz-newest", "indicator": "6.3", "date": "2024-12-31", "title": "新"},
        )
        app._after_change(app.bench.save(new, []))  # the newest: first on this page
        await settle(pilot)
        assert drawn == [1] and table_ids(table)[0] == "zz-newest"
        assert table_ids(table)[table.cursor_row] == chosen  # the cursor kept its record

        app._after_change(app.bench.delete("zz-newest"))
        await settle(pilot)
        assert "zz-newest" not in table_ids(table)
        await pilot.press("u")  # undo the delete
        await settle(pilot)
        assert table_ids(table)[0] == "zz-newest"
        assert screen._filtered == newest_first(app)


async def test_the_indicator_list_is_drawn_again_only_when_its_records_change(
    app: CreditApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    filled: list[int] = []
    real = IndicatorScreen._fill
    monkeypatch.setattr(
        IndicatorScreen, "_fill", lambda self, *a: (filled.append(1), real(self, *a))[1]
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.show_indicator("1.4")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, IndicatorScreen)
        table = screen.query_one("#ind-evidence", DataTable)
        mine = [r for r in newest_first(app) if r.indicator == "1.4"]
        assert table_ids(table) == [r.id for r in mine[:200]]
        table.move_cursor(row=3)
        filled.clear()

        other = make_evidence(
            app.bench.catalog, {"indicator": "6.3", "date": "2024-07-15", "title": "别的"}
        )
        app._after_change(app.bench.save(other, []))
        await settle(pilot)
        assert filled == [] and table.cursor_row == 0  # where a refill would leave it

        study = make_evidence(
            app.bench.catalog,
            {"id": "zz-study", "indicator": "1.4", "date": "2024-12-31", "title": "学"},
        )
        app._after_change(app.bench.save(study, []))
        await settle(pilot)
        assert filled == [1] and table_ids(table)[0] == "zz-study"
        title = str(screen.query_one("#ind-evidence-title", Static).render())
        assert f"{len(mine) + 1} 条" in title


async def test_both_record_lists_hold_only_cells(app: CreditApp) -> None:
    """Their rows are ``Cell``s (plain text in one style, cheap to build by the thousand)."""
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_list(pilot)
        tables: list[QuickTable] = [screen.query_one(EvidenceTable)]
        app.show_indicator("1.4")
        await settle(pilot)
        tables.append(app.screen.query_one("#ind-evidence", QuickTable))
        for table in tables:
            assert table.row_count >= 100
            for row in range(table.row_count):
                cells = table.get_row_at(row)
                assert len(cells) == len(table.columns)
                assert all(isinstance(cell, Cell) for cell in cells), (table.id, row, cells)
