"""The Textual workbench: app shell, key bindings, screens, palette, and the one ``make_app``.

The app is put together from parts, each its own module: reading the store
(``loading``), building screens in idle time (``prewarm``), styles and the
switch hold (``restyle``) and the changes a clerk makes (``writes``). Four speed
measures a year's 5,000 records still need (README, Performance) go through
Textual internals, every one of them in ``tui.compat`` (version guarded, one
test each in ``tests/test_tui_compat.py``). Screens reach the app through
``tui.host`` and never import this module.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from datetime import date
from importlib import import_module
from pathlib import Path

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import Screen

from credit_tui.reports.label import with_label
from credit_tui.service import collector
from credit_tui.service.workbench import Workbench
from credit_tui.store.database import Store
from credit_tui.tui.loading import Loading
from credit_tui.tui.palette import JumpProvider
from credit_tui.tui.prewarm import PREWARM_SECONDS, Prewarmer
from credit_tui.tui.restyle import Restyling
from credit_tui.tui.screens.base import MainScreen
from credit_tui.tui.screens.dashboard import DashboardScreen
from credit_tui.tui.widgets.chrome import SCREENS
from credit_tui.tui.writes import Writes

STYLES = Path(__file__).parent / "styles"
SCREEN_STYLES = Path(__file__).parent / "screens"
THEMES = (("深色", "textual-dark"), ("浅色", "textual-light"))
SYNC_LOAD_LIMIT = 5_000
"""Up to this many records the store is read on the UI thread just after the first frame;
more: in a worker, once the first screen's body is painted."""


def _lazy(module: str, name: str) -> Callable[[], Screen]:
    """A screen factory that imports its module on first use."""

    def make() -> Screen:
        return getattr(import_module(f".screens.{module}", __package__), name)()

    return make


class CreditApp(Loading, Restyling, Writes, App[None]):
    """信用交通县创建工作台."""

    TITLE = "信用交通县创建工作台"
    CSS_PATH = [STYLES / "app.tcss", (SCREEN_STYLES / "dashboard.tcss").resolve()]
    """Shared styles and the first screen's (each screen names its own ``.tcss`` too).

    The other screens' are read just after the first frame (``read_later_styles``),
    before any of them is built: a screen bringing a stylesheet Textual has not
    seen makes it re-parse every rule and restyle every open screen.
    """
    LATER_CSS = sorted(
        p.resolve() for p in SCREEN_STYLES.glob("*.tcss") if p.name != "dashboard.tcss"
    )
    """The other screens' stylesheets, read after the first frame."""
    MODES = {
        "dashboard": DashboardScreen,
        "tasks": _lazy("tasks", "TasksScreen"),
        "calendar": _lazy("calendar", "CalendarScreen"),
        "evidence": _lazy("evidence", "EvidenceScreen"),
        "indicator": _lazy("indicator", "IndicatorScreen"),
    }
    """The five screens; all but the first are imported when first opened (quick start)."""
    DEFAULT_MODE = "dashboard"
    COMMANDS = App.COMMANDS | {JumpProvider}
    BINDINGS = [
        *(
            Binding(
                str(n), f"show_mode('{mode}')", label.split()[1], id=f"screen-{mode}", show=False
            )
            for n, (mode, label) in enumerate(SCREENS, start=1)
        ),
        Binding("n", "new_evidence", "录入", id="new-evidence"),
        Binding("s", "toggle_panel", "得分栏", id="toggle-panel"),
        Binding("question_mark", "help", "帮助", key_display="?", id="help"),
        Binding("ctrl+p", "command_palette", "命令", key_display="^p", id="palette", show=False),
        Binding("q", "quit_app", "退出", id="quit"),
        Binding("ctrl+q", "quit", "退出", show=False, priority=True, id="force-quit"),
    ]
    MAIN_SCREEN_ACTIONS = frozenset(
        {"show_mode", "new_evidence", "toggle_panel", "help", "quit_app"}
    )
    """One-key actions that only a main screen takes (a dialog keeps its keys to itself)."""

    def __init__(
        self,
        bench: Workbench,
        *,
        poll_seconds: float = 1.0,
        prewarm_seconds: float | None = PREWARM_SECONDS,
    ) -> None:
        super().__init__()
        self.bench = bench
        self.loaded = False
        self.show_panel = True
        self.current_indicator = bench.catalog.indicators[0].code
        self.task_department: str | None = None
        self._poll_seconds = poll_seconds
        self.prewarmer = Prewarmer(self, prewarm_seconds)
        """Builds the screens not yet shown in idle moments."""
        self._collector = collector.IdleCollector()
        self._release_hold: Callable[[], None] | None = None
        self.theme = "textual-dark"

    # --- start-up (``loading`` reads the store, ``prewarm`` builds the other screens) ---

    def on_mount(self) -> None:
        # Textual shows the first frame once this returns: the records come after it.
        try:
            small = self.bench.store.size_hint() <= SYNC_LOAD_LIMIT
        except sqlite3.DatabaseError as exc:
            self._cannot_read(exc)
            return
        self.prewarmer.hold_threads = not small  # a large store: threads wait for the build
        if small:  # a few milliseconds: the body comes with the score
            self.call_after_refresh(self._load_now)
        else:  # the body first: a loading thread would slow its paint
            self.call_after_refresh(self._body_then_load)
        if self._poll_seconds > 0:
            self.set_interval(self._poll_seconds, self._check_outside_changes)

    @property
    def prewarmed(self) -> bool:
        """Every screen has been built (in idle moments from the start, or by a visit)."""
        return self.prewarmer.done

    def _prewarm_next(self) -> None:
        """The next step of building the screens not yet shown (``Prewarmer.step``)."""
        self.prewarmer.step()

    def after_prewarm(self, start: Callable[[], object]) -> None:
        """Start a thread worker once every screen is built (``Prewarmer.after``)."""
        self.prewarmer.after(start)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent):
            self._collector.input_seen()
        await super().on_event(event)

    def on_unmount(self) -> None:
        self._collector.stop()

    def header_text(self) -> str:
        """``信用交通县创建工作台 · 单位 · 2024 年度 · 截至 2024-07-15``."""
        bench = self.bench
        text = with_label(
            f"{self.TITLE} · {bench.catalog.organisation} · {bench.year} 年度 · "
            f"截至 {bench.as_of.isoformat()}",
            bench.catalog,
            bench.year,
        )
        return f"只读（仅可查看）· {text}" if self.read_only else text

    # --- actions ---------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keep 1–5, n, s, ? and q from acting behind a dialog."""
        if action in self.MAIN_SCREEN_ACTIONS:
            return isinstance(self.screen, MainScreen)
        return True

    def action_quit_app(self) -> None:
        """Quit (from a main screen)."""
        self.exit()

    def action_show_mode(self, mode: str) -> None:
        """Switch to one of the five screens."""
        self.switch_mode(mode)

    def show_indicator(self, code: str) -> None:
        """Open the indicator detail for ``code``."""
        self.current_indicator = code
        self.switch_mode("indicator")
        self.screen.show_indicator(code)  # type: ignore[attr-defined]

    def show_department(self, department: str | None) -> None:
        """Open the task list filtered to a department (None: all)."""
        self.task_department = department
        self.switch_mode("tasks")
        self.screen.select_department(department)  # type: ignore[attr-defined]

    def compare_with_snapshot(self) -> None:
        """Pick a snapshot and show on the dashboard what rose and fell since."""
        from credit_tui.tui.screens import handover

        def show(snapshot: object) -> None:
            self.switch_mode("dashboard")
            self.screen.show_comparison(snapshot)  # type: ignore[attr-defined]

        handover.choose_snapshot(self, show)

    def action_toggle_panel(self) -> None:
        """Show or hide the score panel on every screen."""
        self.show_panel = not self.show_panel
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                screen.resumed()

    def action_help(self) -> None:
        """List every key."""
        from credit_tui.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(
                CommandPalette(id="--command-palette", placeholder="搜索指标、单位或界面…")
            )

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette's own commands, in Chinese."""
        yield SystemCommand("主题", "切换深色或浅色主题", self._choose_theme)
        yield SystemCommand("快捷键", "列出全部快捷键", self.action_help)
        yield SystemCommand("截图", "把当前界面保存为图片文件", self._screenshot)
        yield SystemCommand("退出", "退出工作台", self.action_quit)

    def _choose_theme(self) -> None:
        self.search_commands(
            [
                (name, lambda t=theme: setattr(self, "theme", t), f"切换为{name}主题")
                for name, theme in THEMES
            ],
            placeholder="选择主题…",
        )

    def _screenshot(self) -> None:
        path = self.save_screenshot()
        self.notify(f"截图已保存：{path}", title="截图")


def make_app(
    store: Store,
    today: date,
    *,
    poll_seconds: float = 1.0,
    prewarm_seconds: float | None = PREWARM_SECONDS,
) -> CreditApp:
    """The one way to build the app: the CLI, the demo and the tests all use it.

    ``poll_seconds`` (0: never) is how often the store is checked for outside
    changes; ``prewarm_seconds`` (None: never) how long the app waits, idle, before
    building each screen not yet shown.
    """
    return CreditApp(
        Workbench(store, today), poll_seconds=poll_seconds, prewarm_seconds=prewarm_seconds
    )
