"""The evidence form after the second reading (issue #14): 4.1's two conditions, item aliases."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Checkbox, Input, Select

from credit_tui.service.demo import DEMO_TODAY, build_demo
from credit_tui.store.database import Store
from credit_tui.tui.app import CreditApp, make_app
from credit_tui.tui.screens.form import EvidenceForm

SIZE = (120, 40)


@pytest.fixture
def app(tmp_path: Path) -> Iterator[CreditApp]:
    path = tmp_path / "demo.db"
    build_demo(path).close()
    store = Store.open(path)
    yield make_app(store, DEMO_TODAY, poll_seconds=0)
    store.close()


async def test_the_4_1_form_shows_the_channel_and_the_format_flag(app: CreditApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.app.workers.wait_for_complete()
        form = EvidenceForm(app.bench, {"indicator": "4.1"})
        await app.push_screen(form)
        await pilot.pause()
        # both conditions of 4.1 are fields of the form: the channel (preset to the credit
        # site) and the format flag
        assert form.query_one("#row-channel").display
        assert form.query_one("#f-channel", Select).value == "credit_site"
        assert form.query_one("#f-format_ok", Checkbox).display
        # a commitment on the preset channel with the flag ticked earns 4.1's 2 points
        # (the demo's one 4.1 record is not in the site's format: 0 before)
        assert app.bench.report.indicator("4.1").earned == 0
        form.query_one("#f-date", Input).value = "2024-07-10"
        form.query_one("#f-title", Input).value = "信用承诺书（第二批）"
        form.query_one("#f-format_ok", Checkbox).value = True
        await pilot.press("ctrl+s")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert app.bench.report.indicator("4.1").earned == 4  # halves: 2 points


async def test_a_prefilled_alias_shows_as_the_canonical_partner(app: CreditApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.app.workers.wait_for_complete()
        form = EvidenceForm(app.bench, {"indicator": "2.2", "item": "社会信用体系建设牵头部门"})
        await app.push_screen(form)
        await pilot.pause()
        assert form.query_one("#f-item-select", Select).value == "信用牵头部门"
