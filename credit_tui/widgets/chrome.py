"""The frame every main screen shares: the campaign header and the screen tabs."""

from __future__ import annotations

from textual.widgets import Static, Tab, Tabs

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


class NavTabs(Tabs):
    """The tab bar of the five screens; choosing a tab switches screen."""

    def __init__(self, active: str) -> None:
        super().__init__(*(Tab(label, id=f"tab-{mode}") for mode, label in SCREENS))
        self._initial = f"tab-{active}"

    def on_mount(self) -> None:
        self.active = self._initial
