"""The frame every main screen shares: the campaign header and the screen tabs."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.widget import Widget
from textual.widgets import Static

SCREENS: tuple[tuple[str, str], ...] = (
    ("dashboard", "1 总览"),
    ("tasks", "2 任务"),
    ("calendar", "3 日历"),
    ("evidence", "4 证据"),
    ("indicator", "5 指标"),
)
"""Mode name and tab label, in key order (keys 1–5)."""


class AppHeader(Static):
    """``信用交通县创建工作台 · 单位 · 2024 年度 · 截至 2024-07-15``."""

    DEFAULT_CSS = """
    AppHeader { height: 1; background: $primary; color: $text; text-style: bold; padding: 0 1; }
    AppHeader.-read-only { background: $error; }
    """

    def __init__(self, text: str, *, id: str | None = None, classes: str = "") -> None:
        super().__init__(text, id=id, classes=classes)
        self._text = text

    def show(self, text: str) -> None:
        """Show ``text``; the same text again changes nothing (one line: never a re-layout)."""
        if text != self._text:
            self._text = text
            self.update(text, layout=False)


class NavTabs(Widget):
    """The tab bar of the five screens on one line, the current one marked; a click switches.

    One widget drawing one line (not a widget per tab): each main screen has its
    own bar, so the current tab never changes once drawn.
    """

    DEFAULT_CSS = """
    NavTabs { height: 1; background: $panel; color: $text-muted; }
    NavTabs > .navtabs--active { background: $primary; color: $text; text-style: bold; }
    """
    COMPONENT_CLASSES = {"navtabs--active"}

    def __init__(self, active: str) -> None:
        super().__init__()
        self.active = active
        """The mode of the screen this bar sits on."""
        self._spans: list[tuple[int, int, str]] = []

    def render(self) -> Text:
        active_style = self.get_component_rich_style("navtabs--active", partial=True)
        text = Text(no_wrap=True, end="")
        spans = []
        for mode, label in SCREENS:
            start = cell_len(text.plain)
            text.append(f" {label} ", style=active_style if mode == self.active else "")
            spans.append((start, cell_len(text.plain), mode))
            text.append(" ")
        self._spans = spans
        return text

    def labels(self) -> list[str]:
        """The tab labels as drawn."""
        return [label for _, label in SCREENS]

    def mode_at(self, x: int) -> str | None:
        """The screen whose tab is drawn at column ``x``, if any."""
        return next((mode for start, end, mode in self._spans if start <= x < end), None)

    def on_click(self, event: events.Click) -> None:
        mode = self.mode_at(event.x)
        if mode is not None and mode != self.active:
            event.stop()
            self.app.switch_mode(mode)
