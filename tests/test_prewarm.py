"""Screens built in idle time after loading: ready on their first visit, and never stale."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.geometry import Region
from textual.pilot import Pilot
from textual.strip import Strip
from textual.widgets import Input

from credit_tui.service.demo import DEMO_TODAY, build_demo
from credit_tui.store.database import Store
from credit_tui.tui import compat
from credit_tui.tui.app import CreditApp, make_app
from credit_tui.tui.screens.dashboard import DashboardScreen
from credit_tui.tui.screens.form import EvidenceForm
from credit_tui.tui.screens.tasks import TasksScreen
from credit_tui.tui.widgets.quick_table import QuickTable

SIZE = (120, 40)
MODES = ["dashboard", "tasks", "calendar", "evidence", "indicator"]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    path = tmp_path / "demo.db"
    build_demo(path).close()
    store = Store.open(path)
    yield store
    store.close()


async def prewarmed(app: CreditApp, pilot: Pilot) -> None:
    """Wait (at most about 5 s) until every screen is built."""
    for _ in range(100):
        if app.prewarmed:
            return
        await pilot.pause(0.05)
    raise AssertionError("the screens were not built in idle time")


def built(app: CreditApp) -> list[str]:
    built = compat.built_modes(app)
    return [mode for mode in MODES if mode in built]


def large_store_held(app: CreditApp, monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Make the app read its records in a worker (as for a large store), held until set."""
    import credit_tui.tui.app

    monkeypatch.setattr(credit_tui.tui.app, "SYNC_LOAD_LIMIT", 0)
    release = threading.Event()
    load = app.bench.load

    def held() -> None:
        assert release.wait(10)
        load()

    monkeypatch.setattr(app.bench, "load", held)
    return release


async def all_built(app: CreditApp, pilot: Pilot, seconds: float) -> None:
    """Wait (at most ``seconds``) until every screen is built."""
    for _ in range(round(seconds / 0.05)):
        if built(app) == MODES:
            return
        await pilot.pause(0.05)


def painted_tables(monkeypatch: pytest.MonkeyPatch) -> set[str | None]:
    """The ids of the ``QuickTable``s painted from now on (shown or not)."""
    painted: set[str | None] = set()
    render_lines = QuickTable.render_lines

    def recorded(self: QuickTable, crop: Region) -> list[Strip]:
        painted.add(self.id)
        return render_lines(self, crop)

    monkeypatch.setattr(QuickTable, "render_lines", recorded)
    return painted


async def test_after_loading_every_screen_is_built_without_being_shown(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    painted = painted_tables(monkeypatch)
    app = make_app(store, DEMO_TODAY, poll_seconds=0, prewarm_seconds=0.1)
    async with app.run_test(size=SIZE) as pilot:
        await prewarmed(app, pilot)
        assert built(app) == MODES
        assert isinstance(app.screen, DashboardScreen)
        tasks = compat.built_screen(app, "tasks")
        assert isinstance(tasks, TasksScreen) and tasks._rows  # composed, with its data
        assert "task-table" in painted  # and painted, unseen
        await pilot.press("2")
        await pilot.pause()
        assert app.screen is tasks  # the prebuilt screen, not a new one


async def test_without_prewarming_a_screen_is_built_on_its_first_visit(store: Store) -> None:
    app = make_app(store, DEMO_TODAY, poll_seconds=0, prewarm_seconds=None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.3)
        assert app.loaded and not app.prewarmed
        assert built(app) == ["dashboard"]
        await pilot.press("3")
        await pilot.pause()
        assert built(app) == ["dashboard", "calendar"]


async def test_a_prebuilt_screen_shows_a_save_made_after_it_was_built(store: Store) -> None:
    app = make_app(store, DEMO_TODAY, poll_seconds=0, prewarm_seconds=0.01)
    async with app.run_test(size=SIZE) as pilot:
        await prewarmed(app, pilot)
        tasks = compat.built_screen(app, "tasks")
        assert isinstance(tasks, TasksScreen)
        row = next(r for r in tasks._rows if (r.indicator, r.component.key) == ("1.4", "study"))
        app.action_new_evidence(indicator="1.4", component="study")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, EvidenceForm)
        form.query_one("#f-date", Input).value = "2024-07-10"
        form.query_one("#f-title", Input).value = "三季度专题学习"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        assert app.screen is tasks
        now = next(r for r in tasks._rows if (r.indicator, r.component.key) == ("1.4", "study"))
        assert now.evidence == row.evidence + 1


async def test_prewarming_behind_an_open_form_keeps_what_the_clerk_types(store: Store) -> None:
    app = make_app(store, DEMO_TODAY, poll_seconds=0, prewarm_seconds=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, EvidenceForm)
        form.query_one("#f-title", Input).focus()
        await pilot.press(*"abc")
        await prewarmed(app, pilot)
        await pilot.press(*"def")
        await pilot.pause()
        assert app.screen is form
        assert form.query_one("#f-title", Input).value == "abcdef"
        assert form.focused is form.query_one("#f-title", Input)


@pytest.mark.parametrize("idle", [0.01, 5.0], ids=["short-idle-wait", "long-idle-wait"])
async def test_while_a_large_store_loads_the_screens_are_built_and_then_get_their_records(
    store: Store, monkeypatch: pytest.MonkeyPatch, idle: float
) -> None:
    """Built while the records are read (a step every 0.1 s, not after the idle wait)."""
    app = make_app(store, DEMO_TODAY, poll_seconds=0, prewarm_seconds=idle)
    release = large_store_held(app, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        await all_built(app, pilot, 4)  # the UI thread is idle while the records are read
        assert not app.loaded and built(app) == MODES and not app.prewarmed
        if idle > 1:  # wanted soon: drawn with the records without waiting the idle time
            tasks = compat.built_screen(app, "tasks")
            release.set()
            for _ in range(30):
                if app.loaded and not tasks.stale:  # type: ignore[attr-defined]
                    break
                await pilot.pause(0.05)
            assert app.loaded and not tasks.stale  # type: ignore[attr-defined]
            return
        tasks = compat.built_screen(app, "tasks")
        assert isinstance(tasks, TasksScreen) and not tasks._rows and tasks.stale
        painted = painted_tables(monkeypatch)
        release.set()
        await prewarmed(app, pilot)
        assert app.loaded and not tasks.stale  # drawn with the records before any visit
        assert sum(r.evidence for r in tasks._rows) == len(app.bench.records)
        assert "task-table" in painted  # and painted again with them, unseen
        await pilot.press("2")
        await pilot.pause()
        assert app.screen is tasks


@pytest.mark.parametrize("prewarm", [None, 0.05], ids=["built-on-visit", "built-in-idle-time"])
async def test_the_first_frame_of_a_switch_shows_the_whole_new_screen(
    store: Store, prewarm: float | None
) -> None:
    """The hold on painting ends as soon as the screen is ready, never on half of it."""
    import re

    app = make_app(store, DEMO_TODAY, poll_seconds=0, prewarm_seconds=prewarm)
    frames: list[str] = []
    display = app._display

    def record(screen: object, update: object) -> None:
        if update is not None and not compat.updates_held(app) and isinstance(screen, TasksScreen):
            frames.append(update.render_segments(app.console))  # type: ignore[attr-defined]
        display(screen, update)

    app._display = record  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        if prewarm is not None:
            await prewarmed(app, pilot)
        await pilot.press("2")
        await pilot.pause(0.2)
    assert frames
    first = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "\n", frames[0])
    for part in ("信用交通县创建工作台", "2 任务", "责任单位", "法规科", "状态筛选", "得分"):
        assert part in first, part  # header, tabs, both panes, key bar and score panel


async def test_a_step_due_as_the_app_closes_does_nothing(store: Store) -> None:
    app = make_app(store, DEMO_TODAY, poll_seconds=0, prewarm_seconds=60)  # no step on its own
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
    app._prewarm_next()  # the timer firing during shutdown: the screens are gone
    assert not app.prewarmed and not compat.built_modes(app)


async def test_the_first_frame_comes_before_the_dashboard_body_and_the_body_before_the_load(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large store: the frame (header, tabs, 正在载入, keys), then the empty boxes, then the
    records are read; the first frame is quick because it holds so little."""
    import re
    import threading

    import credit_tui.tui.app

    monkeypatch.setattr(credit_tui.tui.app, "SYNC_LOAD_LIMIT", 0)  # read in a worker, as if large
    app = make_app(store, DEMO_TODAY, poll_seconds=0, prewarm_seconds=None)
    frames: list[str] = []
    display = app._display

    def record(screen: object, update: object) -> None:
        if update is not None and not compat.updates_held(app):
            text = update.render_segments(app.console)  # type: ignore[attr-defined]
            frames.append(re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "\n", text))
        display(screen, update)

    app._display = record  # type: ignore[method-assign]
    release = threading.Event()
    body_at_load: list[bool] = []
    load = app.bench.load

    def slow_load() -> None:
        body_at_load.append(app.screen._body_ready)  # type: ignore[attr-defined]
        assert release.wait(10)
        load()

    monkeypatch.setattr(app.bench, "load", slow_load)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(100):  # until the reading starts (after the body, styles and imports)
            if body_at_load:
                break
            await pilot.pause(0.05)
        for part in ("信用交通县创建工作台", "1 总览", "正在载入", "帮助"):
            assert part in frames[0], part
        assert "分类得分" not in frames[0]  # no box yet
        assert body_at_load == [True]  # the body was in place before the records were read
        screen = app.screen
        assert isinstance(screen, DashboardScreen) and not app.loaded
        assert str(screen.query_one("#categories").border_title) == "分类得分"
        assert not screen.query("#body-placeholder")
        release.set()
        await pilot.pause(0.2)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.loaded
        assert "37.5" in str(screen.query_one("#total-line").render())  # the demo's total


async def test_a_dashboard_left_before_its_body_came_gets_it_on_return(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import credit_tui.tui.app
    from credit_tui.tui.screens.base import MainScreen

    async def no_body(self: CreditApp) -> None:  # as if 2 were pressed before the body came
        self.call_after_refresh(self.load_bench)

    monkeypatch.setattr(credit_tui.tui.app, "SYNC_LOAD_LIMIT", 0)
    monkeypatch.setattr(CreditApp, "_body_then_load", no_body)
    app = make_app(store, DEMO_TODAY, poll_seconds=0, prewarm_seconds=None)
    async with app.run_test(size=SIZE) as pilot:
        dashboard = app.screen
        assert isinstance(dashboard, MainScreen)
        await pilot.press("2")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.loaded and dashboard.query("#body-placeholder")
        await pilot.press("1")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not dashboard.query("#body-placeholder")
        assert "37.5" in str(dashboard.query_one("#total-line").render())


async def test_a_large_store_scores_its_trend_once_every_screen_is_built(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never two record-wide threads beside the screen's own: the trend waits for the build."""
    import credit_tui.tui.app

    monkeypatch.setattr(credit_tui.tui.app, "SYNC_LOAD_LIMIT", 0)  # read in a worker, as if large
    app = make_app(store, DEMO_TODAY, poll_seconds=0, prewarm_seconds=0.02)
    built_at_trend: list[bool] = []
    trend = app.bench.trend

    def recorded() -> list[tuple[int, int]]:
        built_at_trend.append(app.prewarmed)
        return trend()

    monkeypatch.setattr(app.bench, "trend", recorded)
    async with app.run_test(size=SIZE) as pilot:
        await prewarmed(app, pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert built_at_trend == [True]
        assert app.screen.query_one("#trend").data  # drawn, once it came
