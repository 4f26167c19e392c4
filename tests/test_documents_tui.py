"""The new documents from the workbench's palette, and the evidence list's proof-gap mark
and filter (``g``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from credit_tui.service.demo import DEMO_TODAY, build_demo
from credit_tui.store.database import Store
from credit_tui.tui.app import make_app
from credit_tui.tui.screens.evidence import EvidenceScreen

SIZE = (120, 40)

# the demo's 21 records counted without attachment or link (see test_proof_gaps)
DEMO_GAPS = 21


@pytest.fixture
def demo_path(tmp_path: Path) -> Path:
    path = tmp_path / "demo.db"
    build_demo(path).close()
    return path


async def settle(pilot: Pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def status(screen: EvidenceScreen) -> str:
    return str(screen.query_one("#evidence-status", Static).render())


async def _palette(pilot, words: str) -> None:
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*words)
    await pilot.pause(0.3)
    await pilot.press("enter")
    await settle(pilot)


async def test_palette_writes_the_word_documents(demo_path: Path) -> None:
    store = Store.open(demo_path)
    app = make_app(store, DEMO_TODAY, poll_seconds=0)
    folder = demo_path.parent / "导出"
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _palette(pilot, "自评报告")
        assert (folder / "自评报告.docx").is_file()
        await _palette(pilot, "会议报告（Word）")
        assert (folder / "会议报告.docx").is_file()
        await _palette(pilot, "督办通知")  # then the departments with tasks due
        await pilot.press(*"法规科")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        notice = folder / "督办通知-法规科.docx"
        assert notice.is_file()
        rows = [r.cells[1].text for r in Document(str(notice)).tables[0].rows[1:]]
        # at 7-15: 二、2 and 五、3 both due 6-30, nothing due by 7-29; then 法规科's 重点任务
        # checks overdue: （三）（六） January–June 2 × 6 = 12, （一）（二）（七） Q1–Q2 3 × 2 = 6
        assert rows == ["二、2", "五、3"] + ["重点任务"] * 18
    store.close()


async def test_the_evidence_list_marks_and_filters_proof_gaps(demo_path: Path) -> None:
    store = Store.open(demo_path)
    app = make_app(store, DEMO_TODAY, poll_seconds=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, EvidenceScreen)
        table = screen.query_one(DataTable)
        marked = [
            key.value
            for key in table.rows
            if str(table.get_cell(key, "status")).startswith("缺佐证")
        ]
        assert "demo-007" in marked and "demo-001" not in marked  # 1.3 plan; 1.1 has a file
        assert len(marked) == DEMO_GAPS
        await pilot.press("g")
        await settle(pilot)
        assert sorted(r.id for r in screen._filtered) == sorted(marked)
        assert "只看缺佐证材料" in status(screen)
        await pilot.press("g")
        await settle(pilot)
        assert len(screen._filtered) == len(app.bench.records)
    store.close()
