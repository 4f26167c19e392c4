"""The form's indicator field finds what the palette finds: 3.1, 三、1, 三1 and words (issue 16)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Select

from credit_tui.service.demo import DEMO_TODAY, build_demo
from credit_tui.tui.app import CreditApp, make_app
from credit_tui.tui.screens.form import EvidenceForm
from credit_tui.tui.widgets.indicator_field import IndicatorField

SIZE = (120, 40)


@pytest.fixture
def app(tmp_path: Path) -> Iterator[CreditApp]:
    store = build_demo(tmp_path / "demo.db")
    yield make_app(store, DEMO_TODAY, poll_seconds=0)
    store.close()


async def open_form(pilot: Pilot) -> EvidenceForm:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("n")  # on the dashboard: nothing to prefill the indicator from
    await pilot.pause()
    form = pilot.app.screen
    assert isinstance(form, EvidenceForm)
    return form


@pytest.mark.parametrize("typed", ["3.1", "三、1", "三1"])
async def test_a_typed_code_and_enter_choose_the_indicator(app: CreditApp, typed: str) -> None:
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot)
        field = form.query_one("#f-indicator", IndicatorField)
        assert field.box.has_focus  # opened without an indicator: that field has the focus
        await pilot.press(*typed)
        await pilot.pause()
        options = field.query_one(OptionList)
        assert options.display and options.option_count == 1
        await pilot.press("enter")
        await pilot.pause()
        assert field.value == "3.1"
        assert field.box.value == "三、1 报送信用工作信息"
        # 3.1 has one component, chosen by itself; the focus moved on from the field
        assert form.query_one("#f-component", Select).value == "info"
        assert not field.box.has_focus


async def test_words_filter_and_the_arrow_picks_the_second(app: CreditApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot)
        field = form.query_one("#f-indicator", IndicatorField)
        await pilot.press(*"信易")  # 七、1, 七、2 and 七、3 hold 信易 in their names
        await pilot.pause()
        options = field.query_one(OptionList)
        shown = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert shown == [
            "七、1 “信易+”政策文件",
            "七、2 “信易+”场景应用",
            "七、3 “信易+”典型场景宣传",
        ]
        await pilot.press("down", "enter")
        await pilot.pause()
        assert field.value == "7.2"


async def test_nothing_matching_chooses_nothing(app: CreditApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot)
        field = form.query_one("#f-indicator", IndicatorField)
        await pilot.press(*"9.9", "enter")
        await pilot.pause()
        assert field.value is None
        assert field.box.has_focus
        assert "没有匹配" in str(field.query_one(OptionList).get_option_at_index(0).prompt)


async def test_a_chosen_indicator_saves_with_the_form(app: CreditApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        form = await open_form(pilot)
        count = len(app.bench.records)
        await pilot.press(*"4.5", "enter")  # 四、5 信用修复: one component, a free-text case
        await pilot.pause()
        form.query_one("#f-item-input", Input).value = "某运输公司信用修复"
        form.query_one("#f-title", Input).value = "信用修复培训"
        await pilot.press("ctrl+s")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        errors = [str(w.render()) for w in form.query(".field-error") if w.display]
        assert not isinstance(app.screen, EvidenceForm), errors
        assert len(app.bench.records) == count + 1
        mine = [r for r in app.bench.records.values() if r.title == "信用修复培训"]
        assert [(r.indicator, r.component) for r in mine] == [("4.5", "repair")]
