"""The live score panel docked on every main screen."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from credit_tui.reports.text import bar
from credit_tui.scoring.points import fmt
from credit_tui.scoring.report import ScoreReport

PANEL_WIDTH = 30
"""Columns the panel takes beside the body on a wide terminal (its CSS width)."""


class ScorePanel(Static):
    """Total, earned · lost · potential, a bar per category (unless told not), the last change.

    On a wide screen it is a column; with the ``-compact`` class (narrow
    terminals) it is one line: ``总分 62.5/100 · 失 7 · 可达 93``.
    """

    DEFAULT_CSS = """
    ScorePanel { width: 30; height: 1fr; padding: 0 1; border-left: vkey $primary 40%; }
    ScorePanel.-compact { width: 1fr; height: 1; dock: bottom; border-left: none; padding: 0 1;
        background: $boost; }
    ScorePanel.-flash { background: $success 25%; }
    """

    compact: reactive[bool] = reactive(False, toggle_class="-compact")
    """One line instead of a column."""

    def __init__(
        self, *, id: str | None = None, compact: bool = False, categories: bool = True
    ) -> None:
        super().__init__(id=id, classes="-compact" if compact else "")
        self.categories = categories
        """Whether the column lists a bar per category."""
        self.set_reactive(ScorePanel.compact, compact)
        self._report: ScoreReport | None = None
        self._projected: ScoreReport | None = None
        self._delta = ""

    def show(
        self,
        report: ScoreReport,
        projected: ScoreReport | None = None,
        delta: str = "",
    ) -> None:
        """Show a new score; a non-empty ``delta`` (``+1 一、4``) is highlighted for a moment.

        The score already shown, with no change to highlight, is not drawn again.
        """
        if not delta and report is self._report and projected is self._projected:
            return
        self._report, self._projected, self._delta = report, projected, delta
        self.update(self._render_score(), layout=False)  # fixed size: no re-layout
        if delta:
            self.add_class("-flash")
            self.set_timer(3.0, self._end_flash)

    def _end_flash(self) -> None:
        self.remove_class("-flash")
        self._delta = ""
        if self._report is not None:
            self.update(self._render_score(), layout=False)  # fixed size: no re-layout

    def watch_compact(self) -> None:
        if self._report is not None:
            self.update(self._render_score(), layout=False)  # fixed size: no re-layout

    def _render_score(self) -> Text:
        report = self._report
        if report is None:
            return Text("正在载入…")
        if self.compact:
            return self._one_line(report)
        text = Text()
        text.append("得分  ", style="bold")
        text.append(fmt(report.earned), style="bold green")
        text.append(f" / {fmt(report.max)}\n")
        text.append(f"已失 {fmt(report.lost)} · 可达 {fmt(report.potential)}\n")
        if self._projected is not None:
            text.append(f"预计（含计划）{fmt(self._projected.earned)}\n", style="cyan")
        if self._delta:
            text.append(f"{self._delta}\n", style="bold reverse green")
        if not self.categories:
            return text
        text.append("\n")
        for cat in report.categories:
            text.append(f"{cat.numeral} ")
            text.append(bar(cat.earned, 0, cat.max, 10), style="green")
            text.append(f" {fmt(cat.earned):>4}/{fmt(cat.max)}")
            if cat.lost:
                text.append(f" 失{fmt(cat.lost)}", style="red")
            text.append("\n")
        return text

    def _one_line(self, report: ScoreReport) -> Text:
        text = Text()
        text.append(f"总分 {fmt(report.earned)}/{fmt(report.max)}", style="bold")
        text.append(f" · 失 {fmt(report.lost)} · 可达 {fmt(report.potential)}")
        if self._projected is not None:
            text.append(f" · 预计 {fmt(self._projected.earned)}", style="cyan")
        if self._delta:
            text.append(f"  {self._delta}", style="bold reverse green")
        return text
