"""The shared frame: key bar and tab bar, themes and styles, and the collector after a start."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.cells import cell_len

from credit_tui.service.demo import DEMO_TODAY, build_demo
from credit_tui.store.database import Store
from credit_tui.tui import compat
from credit_tui.tui.app import CreditApp, make_app
from credit_tui.tui.screens.calendar import CalendarScreen
from credit_tui.tui.screens.dashboard import DashboardScreen
from credit_tui.tui.screens.form import EvidenceForm
from credit_tui.tui.widgets.chrome import NavTabs
from credit_tui.tui.widgets.keybar import KeyBar

SIZE = (120, 40)


@pytest.fixture
def app(tmp_path: Path) -> Iterator[CreditApp]:
    path = tmp_path / "demo.db"
    build_demo(path).close()
    store = Store.open(path)
    yield make_app(store, DEMO_TODAY, poll_seconds=0, prewarm_seconds=None)  # first visits here
    store.close()


def _column_of(text: str, part: str) -> int:
    return cell_len(text[: text.index(part)])


async def test_the_key_bar_lists_this_screens_keys_with_the_palette_on_the_right(
    app: CreditApp,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        bar = app.screen.query_one(KeyBar)
        drawn = bar.render().plain
        assert [k[:3] for k in bar.shown_keys()][:2] == [("c", "c", "对比快照"), ("n", "n", "录入")]
        assert drawn.startswith(" c 对比快照  n 录入 ")
        assert drawn.rstrip().endswith("^p 命令") and cell_len(drawn) == SIZE[0]
        await pilot.press("3")
        await pilot.pause()
        calendar_keys = app.screen.query_one(KeyBar).render().plain
        assert "今天" in calendar_keys and "对比快照" not in calendar_keys


async def test_clicking_a_key_presses_it(app: CreditApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        bar = app.screen.query_one(KeyBar)
        drawn = bar.render().plain
        x = _column_of(drawn, " n 录入") + 1
        assert bar.key_at(x) == "n" and bar.key_at(SIZE[0] - 3) == "ctrl+p"
        assert await pilot.click(KeyBar, offset=(x, 0))
        await pilot.pause()
        assert isinstance(app.screen, EvidenceForm)


async def test_clicking_a_tab_switches_screen_and_marks_it(app: CreditApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        tabs = app.screen.query_one(NavTabs)
        drawn = tabs.render()
        assert drawn.plain.startswith(" 1 总览   2 任务 ")
        active = [span for span in drawn.spans if span.style]
        assert [drawn.plain[s.start : s.end] for s in active] == [" 1 总览 "]
        x = _column_of(drawn.plain, "3 日历")
        assert tabs.mode_at(x) == "calendar" and tabs.mode_at(SIZE[0] - 1) is None
        assert await pilot.click(NavTabs, offset=(x, 0))
        await pilot.pause()
        assert isinstance(app.screen, CalendarScreen)
        assert app.screen.query_one(NavTabs).active == "calendar"
        await pilot.click(NavTabs, offset=(1, 0))
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)


async def test_a_start_with_the_collector_off_turns_it_on_once_the_data_is_shown(
    app: CreditApp,
) -> None:
    gc.disable()  # as credit-tui starts (cli.cmd_tui)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.pause()
            assert app.loaded
            assert gc.isenabled()
    finally:
        gc.unfreeze()
        gc.enable()


async def test_a_start_with_the_collector_on_leaves_it_alone(app: CreditApp) -> None:
    thresholds = gc.get_threshold()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert app.loaded
        assert gc.isenabled() and gc.get_threshold() == thresholds


def assert_light_task_list(app: CreditApp) -> None:
    """The task list shown wears the light theme: its background, and dark text in its table."""
    from textual.color import Color

    light = app.get_theme("textual-light")
    assert light is not None and light.background is not None
    assert app.screen.styles.background == Color.parse(light.background)
    text = app.screen.query_one("#task-table").rich_style.color
    assert text is not None and text.triplet is not None
    assert sum(text.triplet) < 3 * 128  # dark text on the light background


@pytest.mark.parametrize("prewarm", [None, 0.01], ids=["built-on-visit", "built-in-idle-time"])
async def test_a_screen_first_shown_after_a_theme_change_wears_the_new_theme(
    tmp_path: Path, prewarm: float | None
) -> None:
    path = tmp_path / "demo.db"
    build_demo(path).close()
    app = make_app(Store.open(path), DEMO_TODAY, poll_seconds=0, prewarm_seconds=prewarm)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        while prewarm is not None and not app.prewarmed:
            await pilot.pause(0.05)  # the task list built before the change (or else not yet)
        app.theme = "textual-light"
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        assert_light_task_list(app)
    app.bench.store.close()


async def test_the_stylesheets_are_parsed_once_at_start_and_again_on_a_theme_change(
    app: CreditApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.css.stylesheet import Stylesheet

    reparsed: list[int] = []
    reparse = Stylesheet.reparse

    def counted(self: Stylesheet) -> None:
        reparsed.append(1)
        reparse(self)

    monkeypatch.setattr(Stylesheet, "reparse", counted)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("2")  # a first visit too
        await pilot.pause()
        assert reparsed == []
        app.theme = "textual-light"
        await pilot.pause()
        assert reparsed == [1]


async def test_a_screen_left_and_shown_again_is_restyled_only_when_something_changed(
    app: CreditApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual restyles every widget of a screen shown again; with nothing changed, not."""
    from credit_tui.tui.screens.tasks import TasksScreen

    restyled: list[str] = []
    update = TasksScreen.update_node_styles

    def counted(self: TasksScreen, animate: bool = True) -> None:
        restyled.append(self.MODE)
        update(self, animate)

    monkeypatch.setattr(TasksScreen, "update_node_styles", counted)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("2", "1")
        await pilot.pause()
        restyled.clear()
        await pilot.press("2")  # nothing changed while away
        await pilot.pause()
        assert restyled == []
        await pilot.press("1")
        await pilot.pause()
        app.app_focus = False  # the terminal lost focus while away: its :blur styles
        await pilot.pause()
        app.switch_mode("tasks")  # not a key press: Pilot's keys give the app focus back
        await pilot.pause()
        assert not app.app_focus and restyled == ["tasks"]
        app.app_focus = True
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        app.theme = "textual-light"  # changed while away: restyled on return
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        assert_light_task_list(app)
    app.bench.store.close()


async def test_the_other_screens_styles_come_after_the_first_frame_and_before_any_is_built(
    app: CreditApp,
) -> None:
    from textual.css.stylesheet import Stylesheet

    later = [str(path) for path in CreditApp.LATER_CSS]
    assert any(path.endswith("tasks.tcss") for path in later) and len(later) >= 5
    at_first_frame: list[bool] = []
    display = app._display

    def first(screen: object, update: object) -> None:
        if update is not None and not compat.updates_held(app) and not at_first_frame:
            at_first_frame.append(any(app.stylesheet.has_source(p, "") for p in later))
        display(screen, update)

    app._display = first  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert at_first_frame == [False]
        assert all(app.stylesheet.has_source(path, "") for path in later)
        assert compat.built_modes(app) == ["dashboard"]  # read before any other was built
        fresh = Stylesheet(variables=app.get_css_variables())  # as if all were read at start
        fresh.read_all([*CreditApp.CSS_PATH, *CreditApp.LATER_CSS])
        rules = {str(rule.selector_set) for rule in app.stylesheet.rules}
        assert {str(rule.selector_set) for rule in fresh.rules} <= rules


async def test_an_open_drop_down_s_key_is_described_in_chinese(app: CreditApp) -> None:
    """Textual's Select names its Esc "Dismiss menu"; the key bar says 收起."""
    from textual.widgets import Select

    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("4")
        await pilot.pause()
        select = app.screen.query_one("#filter-indicator", Select)
        select.focus()
        await pilot.press("enter")  # the drop-down opens, focused
        await pilot.pause()
        assert select.expanded
        labels = {key: label for key, _, label, _ in app.screen.query_one(KeyBar).shown_keys()}
        assert labels.get("escape") == "收起"
        assert not [label for label in labels.values() if label.isascii()]  # no English
