"""The main screens' common frame: header, tabs, body, score panel, footer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.compose import compose
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Static

from credit_tui.tui import compat
from credit_tui.tui.host import host
from credit_tui.tui.widgets.chrome import AppHeader, NavTabs
from credit_tui.tui.widgets.keybar import KeyBar
from credit_tui.tui.widgets.score_panel import ScorePanel

if TYPE_CHECKING:
    from credit_tui.service.workbench import Workbench


class MainScreen(Screen[None]):
    """A screen of the workbench; subclasses compose the body and redraw from the bench."""

    MODE = ""
    WIDE = 100
    """Terminal columns from which the score panel is a column beside the body."""
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (WIDE, "-wide")]
    BODY_AFTER_FIRST_FRAME = False
    """Composed before the records are read, the body comes a moment after the first frame.

    The first frame is then the header, tabs, panel and keys with 正在载入 where the
    body goes: the first screen (``DEFAULT_MODE``) appears sooner.
    """
    PANEL_CATEGORIES = True
    """The score panel lists the category bars (not where the body shows them itself)."""

    def __init__(self) -> None:
        super().__init__()
        self._drawn = -1
        self._body_ready = True
        self._body_mounting = False
        self._styled_in: tuple[object, ...] | None = None
        """The style context when the screen was built or last left (None: not yet built)."""
        if host(self).loaded:
            # Once running (the theme applied), a new screen is styled from the current
            # stylesheet when it mounts; without this Textual re-parses all CSS and restyles
            # every open screen on the new screen's first visit, twice.
            compat.mark_styled(self, self.app)

    @property
    def bench(self) -> Workbench:
        """The app's workbench."""
        return host(self).bench

    def compose(self) -> ComposeResult:
        # the breakpoint class from the start: styles are applied once, not again on resize
        wide = self.app.size.width >= self.WIDE
        self.set_class(wide, "-wide")
        self.set_class(not wide, "-narrow")
        yield AppHeader(
            host(self).header_text(),
            id="app-header",
            classes="-read-only" if host(self).read_only else "",
        )
        yield NavTabs(self.MODE)
        with Horizontal(id="main"):
            if self.BODY_AFTER_FIRST_FRAME and not host(self).loaded:
                self._body_ready = False
                yield Static("正在载入…", id="body-placeholder")
            else:
                yield from self.compose_body()
            yield ScorePanel(id="score-panel", compact=not wide, categories=self.PANEL_CATEGORIES)
        yield KeyBar()

    def compose_body(self) -> ComposeResult:
        """The screen's own content."""
        yield from ()

    def body_mounted(self) -> None:
        """The body is in place (subclasses: titles and the like); before the first redraw."""

    async def mount_body(self) -> None:
        """Put the body in place of its placeholder (``BODY_AFTER_FIRST_FRAME``), then redraw."""
        if self._body_ready or self._body_mounting:
            return
        self._body_mounting = True
        placeholder = self.query_one("#body-placeholder")
        body = compose(self, self.compose_body())
        await self.query_one("#main").mount_all(body, before=placeholder)
        await placeholder.remove()
        self._body_ready = True
        self.body_mounted()
        self.refresh_if_stale()

    def on_mount(self) -> None:
        self._styled_in = self._style_context()  # every widget was just styled
        self.query_one(ScorePanel).display = host(self).show_panel
        if self._body_ready:
            self.body_mounted()
        self.refresh_if_stale()

    def on_screen_suspend(self) -> None:
        self._styled_in = self._style_context()

    def _style_context(self) -> tuple[object, ...]:
        """What its styles depend on beyond its own widgets: CSS, theme, app state, size."""
        app = self.app
        return (
            compat.css_generation(app),
            app.theme,
            frozenset(app.classes),
            compat.app_pseudo_classes(app),
            app.size,
        )

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        if event.refresh_styles and self._styled_in == self._style_context():
            # Textual restyles every widget of a resumed screen (10–30 ms); with nothing
            # they depend on changed since it was left, the styles are those it had.
            event.refresh_styles = False
        self.resumed()

    def resumed(self) -> None:
        """Shown again (or the panel toggled): the panel as chosen, the data redrawn if stale."""
        self.query_one(ScorePanel).display = host(self).show_panel
        self.refresh_if_stale()
        if self.is_current:
            host(self).release_hold()  # redrawn: the switch may paint now

    def on_resize(self) -> None:
        self.query_one(ScorePanel).compact = self.size.width < self.WIDE

    @property
    def stale(self) -> bool:
        """The records changed since this screen last drew them (or it never did)."""
        return self._drawn != self.bench.generation or not self._body_ready

    def refresh_if_stale(self, delta: str = "") -> None:
        """Redraw when the bench changed since this screen last drew."""
        if not host(self).loaded:
            return
        self.query_one(AppHeader).show(host(self).header_text())
        panel = self.query_one(ScorePanel)
        panel.compact = self.size.width < self.WIDE
        panel.show(self.bench.report, self.bench.projected, delta)
        if not self._body_ready:  # comes once in place
            self.run_worker(self.mount_body(), group="body")
            return
        if self._drawn != self.bench.generation:
            self._drawn = self.bench.generation
            self.refresh_data()

    def refresh_data(self) -> None:
        """Redraw the body from the bench (subclasses)."""

    def evidence_context(self) -> dict[str, object]:
        """What a new record started here is prefilled with (indicator, component, date…)."""
        return {}


class RecordListScreen(MainScreen):
    """A main screen with a table of records: ``e``/Enter edits, ``d`` deletes after asking."""

    def _selected_id(self) -> str | None:
        """The id of the record under the cursor, if any (subclasses)."""
        return None

    def action_edit(self) -> None:
        """Edit the selected record in the form."""
        record_id = self._selected_id()
        if record_id is not None:
            host(self).open_form({}, record_id)

    def action_delete(self) -> None:
        """Delete the selected record, after asking (``u`` on the evidence list undoes)."""
        record_id = self._selected_id()
        if record_id is not None:
            host(self).confirm_delete(record_id)
