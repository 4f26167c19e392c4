"""The Textual workbench: app shell, key bindings, palette, and the one ``make_app``.

Four speed measures a year's 5,000 records still need (README, Performance) go
through Textual internals, every one of them in ``tui.compat`` (version
guarded, one test each in ``tests/test_tui_compat.py``): building screens in
idle time (``build_mode``, ``visible_widgets``), ending the switch hold once the
new screen is ready (``hold_updates``), parsing the stylesheets once
(``stylesheet_current``) and keeping a resumed screen's styles (``screens/base.py``).
The garbage-collection policy is ``collector``'s. Nothing here names a private
attribute of Textual or Rich.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from importlib import import_module
from pathlib import Path
from time import perf_counter

from textual import events, work
from textual.app import App, ScreenError, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.geometry import Region
from textual.screen import Screen

from credit_tui.reports.label import with_label
from credit_tui.service import collector
from credit_tui.service.workbench import Outcome, Workbench
from credit_tui.store.database import Store, StoreError
from credit_tui.tui import compat
from credit_tui.tui.palette import JumpProvider
from credit_tui.tui.screens.base import MainScreen
from credit_tui.tui.screens.dashboard import DashboardScreen
from credit_tui.tui.widgets.chrome import SCREENS

STYLES = Path(__file__).parent / "styles"
SCREEN_STYLES = Path(__file__).parent / "screens"
THEMES = (("深色", "textual-dark"), ("浅色", "textual-light"))
SYNC_LOAD_LIMIT = 5_000
"""Up to this many records the store is read on the UI thread just after the first frame;
more: in a worker, once the first screen's body is painted."""
PREWARM_SECONDS = 0.5
"""Idle time after loading (and between steps) before the next step of building screens."""
PREWARM_SOON = 0.1
"""The wait between building steps (seconds) from when a worker starts reading the
records until every screen is drawn with them (the UI thread has nothing else to do
while they are read, and the screens built then are stale once they are in)."""
PREWARM_STEP = 0.03
"""About how long one step of painting a screen unseen may take (seconds)."""
PREWARM_BAND = 8
"""Lines of a widget painted unseen at once."""

WAIT_FOR_RECORDS = "(records)"
"""What a building step says when the screens are built and the records not yet read."""

LAZY_SCREENS = ("tasks", "calendar", "evidence", "indicator", "form")
"""Screen modules imported on first use, or ahead of it in idle moments (``_prewarm_steps``)."""


def _lazy(module: str, name: str) -> Callable[[], Screen]:
    """A screen factory that imports its module on first use."""

    def make() -> Screen:
        return getattr(import_module(f".screens.{module}", __package__), name)()

    return make


class CreditApp(App[None]):
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
        self._prewarm_seconds = prewarm_seconds
        self.prewarmed = False
        """Every screen has been built (in idle moments from the start, or by a visit)."""
        self._after_prewarm: list[Callable[[], object]] = []
        self._prewarm: Iterator[str] | None = None
        self._prewarm_parked = False
        self._prewarm_soon = False
        self._read_in_worker = False
        """The store is large enough to be read in a worker (chosen at start)."""
        self._collector = collector.IdleCollector()
        self._release_hold: Callable[[], None] | None = None
        self.theme = "textual-dark"

    # --- loading and outside changes ---------------------------------------------------

    def on_mount(self) -> None:
        # Textual shows the first frame once this returns: the records come after it.
        try:
            small = self.bench.store.size_hint() <= SYNC_LOAD_LIMIT
        except sqlite3.DatabaseError as exc:
            self._cannot_read(exc)
            return
        self._read_in_worker = not small
        if small:  # a few milliseconds: the body comes with the score
            self.call_after_refresh(self._load_now)
        else:  # the body first: a loading thread would slow its paint
            self.call_after_refresh(self._body_then_load)
        if self._poll_seconds > 0:
            self.set_interval(self._poll_seconds, self._check_outside_changes)

    def _load_now(self) -> None:
        """Read the records on the UI thread (a small store), then the other screens' styles."""
        if self._read_bench():
            self._loaded()
        self.call_after_refresh(self.read_later_styles)

    async def _body_then_load(self) -> None:
        """Put the first screen's body in place, the other screens' styles, then the records."""
        screen = self.screen
        if isinstance(screen, MainScreen):
            await screen.mount_body()
        self.set_timer(0.02, self._styles_then_load)  # the body painted first, on its own

    def _styles_then_load(self) -> None:
        self.read_later_styles()
        self._import_then_load()

    def _import_then_load(self) -> None:
        """Import the other screens' modules, one an idle moment, then read the records.

        Not while the records are read: an import waits for the loading thread
        at each file it opens (5 ms a time), 6 ms became 200.
        """
        if import_next_screen():
            self.set_timer(0.01, self._import_then_load)
            return
        self.load_bench()
        self._prewarm_soon = True
        self._start_prewarm()  # the screens built while the records are read

    def read_later_styles(self) -> None:
        """Add the other screens' stylesheets (``LATER_CSS``) and restyle what is open.

        Only the new files are parsed (Textual keeps what it parsed); a screen
        built before this is styled by Textual's own way, a full re-parse.
        """
        stylesheet = self.stylesheet
        new = [path for path in self.LATER_CSS if not stylesheet.has_source(str(path), "")]
        if not new:
            return
        for path in new:
            stylesheet.read(path)
        stylesheet.parse()
        stylesheet.update(self)

    @work(thread=True, exclusive=True, group="load")
    def load_bench(self) -> None:
        """Read and score every record off the UI thread."""
        if self._read_bench(from_thread=True):
            self.call_from_thread(self._loaded)

    def _read_bench(self, *, from_thread: bool = False) -> bool:
        try:
            self.bench.load()
        except (StoreError, sqlite3.DatabaseError) as exc:
            if from_thread:
                self.call_from_thread(self._cannot_read, exc)
            else:
                self._cannot_read(exc)
            return False
        return True

    def _cannot_read(self, exc: Exception) -> None:
        self.notify(f"{exc}", title="无法读取数据库", severity="error", timeout=30)
        self.call_after_refresh(self._resume_collection)

    def _loaded(self) -> None:
        first = not self.loaded
        self.loaded = True
        self.refresh_screen()
        self.call_after_refresh(self._resume_collection)
        if first:
            self._start_prewarm()
        if self._prewarm_parked:  # the screens were built while loading: now their records
            self._prewarm_parked = False
            self.call_after_refresh(self._prewarm_next)  # as soon as this frame is shown

    def _start_prewarm(self) -> None:
        """Begin building the other screens in idle moments (once)."""
        if self._prewarm is None and self._prewarm_seconds is not None:
            self._prewarm = self._prewarm_steps()
            self._arm_prewarm()

    def _arm_prewarm(self) -> None:
        """The next building step after the idle wait (shorter when screens are wanted soon)."""
        if self._prewarm_seconds is not None:
            wait = self._prewarm_seconds
            if self._prewarm_soon:  # screens wanted soon: records being read, or just read
                wait = min(wait, PREWARM_SOON)
            self.set_timer(wait, self._prewarm_next)

    # --- garbage collection -----------------------------------------------------------

    def _resume_collection(self) -> None:
        """Turn the collector back on once the data is shown (``collector.IdleCollector``)."""
        if self._collector.resume():
            self.set_interval(collector.CHECK_EVERY, self._collector.collect_if_idle)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent):
            self._collector.input_seen()
        await super().on_event(event)

    def on_unmount(self) -> None:
        self._collector.stop()

    def _prewarm_next(self) -> None:
        """Take the next step of building the screens not yet shown, then wait for another."""
        if not self.is_running or not self.screen_stack or self._prewarm is None:
            return  # closing
        step = next(self._prewarm, None)
        if step is None:
            self.prewarmed = True
            self._prewarm_soon = False
            self.call_after_refresh(collector.freeze_again)
            waiting, self._after_prewarm = self._after_prewarm, []
            for start in waiting:
                start()
        elif step == WAIT_FOR_RECORDS:
            self._prewarm_parked = True  # ``_loaded`` takes it on
        else:
            self._arm_prewarm()

    def after_prewarm(self, start: Callable[[], object]) -> None:
        """Start a thread worker once every screen is built; now if they are (or never will be).

        Only for a store read in a worker (a large one): the Python interpreter runs
        one thread at a time, and with two busy threads besides the screen's own
        the screen can wait 50–130 ms for its turn.
        """
        if not self._read_in_worker or self.prewarmed or self._prewarm_seconds is None:
            start()
        elif start not in self._after_prewarm:
            self._after_prewarm.append(start)

    def _prewarm_steps(self) -> Iterator[str]:
        """Build each screen not yet shown and paint it unseen; with the records, again.

        Building a screen (its module, compose, styles, layout) and painting it the
        first time take 100–300 ms that the first press of its key would otherwise
        wait for. Each module is imported, each screen built as Textual builds a
        mode on its first ``switch_mode`` (``compat.build_mode``) without being shown,
        and its widgets painted for nobody a band of lines at a time, filling their
        line caches: a step at a time of about ``PREWARM_STEP``, in idle moments.
        A large store's screens are built while a worker reads the records, with
        nothing in them; once the records are in, each is drawn with them and
        painted again. The clerk finds every screen ready.
        """
        while import_next_screen():
            yield "(module)"
        for mode in self.MODES:
            if compat.built_screen(self, mode) is None:
                compat.build_mode(self, mode)
                yield mode
                yield from self._paint_unseen(mode)
        while not self.loaded:
            yield WAIT_FOR_RECORDS
        for mode in self.MODES:
            screen = compat.built_screen(self, mode)
            if isinstance(screen, MainScreen) and screen is not self.screen and screen.stale:
                screen.refresh_if_stale()
                yield mode
                yield from self._paint_unseen(mode)

    def _paint_unseen(self, mode: str) -> Iterator[str]:
        """Paint a screen not shown, a band of lines of a widget at a time, in short steps."""
        screen = compat.built_screen(self, mode)
        if screen is None:
            return
        until = perf_counter() + PREWARM_STEP
        for widget, region in compat.visible_widgets(screen):  # none if not laid out
            if widget is screen:
                continue
            for top in range(0, region.height, PREWARM_BAND):  # a few lines at a time
                if screen is self.screen or not widget.is_mounted:
                    break  # shown meanwhile (Textual paints it), or gone
                height = min(PREWARM_BAND, region.height - top)
                widget.render_lines(Region(0, top, region.width, height))
                if perf_counter() > until:
                    yield mode
                    until = perf_counter() + PREWARM_STEP

    def _check_outside_changes(self) -> None:
        if self.loaded and self.bench.changed_outside():
            self.load_bench()

    def refresh_screen(self, delta: str = "") -> None:
        """Redraw the current screen (the others redraw when shown)."""
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                screen.refresh_if_stale(delta)

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

    @property
    def read_only(self) -> bool:
        """The store could only be opened for viewing (read-only file or folder)."""
        return bool(getattr(self.bench.store, "read_only", False))

    # --- styles ----------------------------------------------------------------------

    def refresh_css(self, animate: bool = True) -> None:
        """As Textual's, but without parsing every stylesheet again when nothing in them changed.

        Textual re-parses all CSS (30–40 ms) on each call, including the one made as
        the first screen is shown, whose variables are those the CSS was just parsed
        with. A theme change (new variables) or a new stylesheet still re-parses.
        """
        stylesheet = self.stylesheet
        if not compat.stylesheet_current(self):
            super().refresh_css(animate)
            return
        stylesheet.update(self, animate=animate)  # what follows the re-parse in Textual's
        try:
            screen = self.screen
        except ScreenError:  # no screen yet
            return
        if screen.is_mounted:
            compat.relayout(screen, self.size)
            compat.mark_styled(screen, self)
        for other in self.screen_stack:
            if other is not screen:
                stylesheet.update(other, animate=animate)
                compat.mark_styled(other, self)

    # --- switching screens -----------------------------------------------------------

    def delay_update(self, delay: float = 0.05) -> None:
        """Hold painting while the screen changes: as Textual does, but no longer than needed.

        Textual's ``switch_mode`` holds every paint for a fixed 50 ms so that a
        half-built screen is never shown. A main screen says when it has redrawn
        for being shown (``release_hold``), and the hold ends then; the 50 ms
        stay the limit.
        """
        compat.hold_updates(self)
        held = [True]

        def release() -> None:
            if held[0]:
                held[0] = False
                if compat.release_updates(self):
                    # the next frame whole, even one a pending layout paints first
                    compat.repaint_whole(self.screen)

        self._release_hold = release
        self.set_timer(delay, release, name="delay_update")

    def release_hold(self) -> None:
        """End the hold of ``delay_update`` (the screen now shown is ready to paint)."""
        release, self._release_hold = self._release_hold, None
        if release is not None:
            release()

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

    def action_new_evidence(self, **prefill: object) -> None:
        """Open the evidence form, prefilled from where it was opened."""
        if not self.loaded:
            return
        if self.read_only:
            self.notify("数据库为只读，只能查看，不能录入", severity="warning")
            return
        context = self.screen.evidence_context() if isinstance(self.screen, MainScreen) else {}
        self.open_form({**context, **prefill})

    def open_form(self, prefill: dict[str, object], record_id: str | None = None) -> None:
        """Open the evidence form (editing ``record_id`` when given)."""
        from credit_tui.tui.screens.form import EvidenceForm

        self.push_screen(EvidenceForm(self.bench, prefill, record_id), self._after_change)

    def open_import(self) -> None:
        """Open the import dialog (palette 导入, ``i`` on the evidence list)."""
        if not self.loaded:
            return
        if self.read_only:
            self.notify("数据库为只读，只能查看，不能导入", severity="warning")
            return
        from credit_tui.tui.screens.import_dialog import ImportDialog

        self.push_screen(ImportDialog(self.bench), self._after_change)

    def action_open_import(self) -> None:
        """The ``i`` key of the evidence list."""
        self.open_import()

    def _after_change(self, outcome: Outcome | None) -> None:
        if outcome is None:
            return
        delta = " ".join(
            f"{'+' if c.delta > 0 else ''}{_fmt(c.delta)} {self.bench.catalog.display_code(c.code)}"
            for c in outcome.changes
        )
        self.refresh_screen(delta)
        self.notify(outcome.message, title="已保存" if outcome.saved else "完成")

    def apply(self, change: Callable[[], Outcome | None], *, empty: str) -> None:
        """Run a delete or undo and show its result; a store that refuses is said in Chinese."""
        try:
            outcome = change()
        except StoreError as exc:
            self.notify(str(exc), title="未能保存", severity="error")
            return
        if outcome is None:
            self.notify(empty, severity="warning")
            return
        self._after_change(outcome)

    def confirm_delete(self, record_id: str) -> None:
        """Ask, then soft-delete a record (``u`` on the evidence list brings it back)."""
        record = self.bench.records.get(record_id)
        if record is None:
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.apply(lambda: self.bench.delete(record_id), empty="该记录已不存在")

        from credit_tui.tui.screens.confirm import ConfirmDialog

        self.push_screen(
            ConfirmDialog(
                f"删除“{record.title}”？可在证据界面按 u 撤销", title="删除记录", danger=True
            ),
            answer,
        )

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


def import_next_screen() -> bool:
    """Import the first of ``LAZY_SCREENS`` not yet imported; False when all are."""
    for module in LAZY_SCREENS:
        name = f"{__package__}.screens.{module}"
        if name not in sys.modules:
            import_module(name)
            return True
    return False


def _fmt(halves: int) -> str:
    from credit_tui.scoring.points import fmt

    return fmt(halves)


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
