"""A month of the deadline calendar: weeks from Monday, a coloured dot and count per day.

``MonthGrid`` draws one month, marks each day that has occurrences with a dot in
the colour of its worst status and the number of occurrences, highlights the
selected day (or its week) and underlines today. Arrow keys move the selection
by a day or a week; the grid posts ``MonthGrid.Selected`` whenever it moves.
It knows nothing of the workbench: the screen hands it ``marks``.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from credit_tui.scoring.calendar import TaskStatus
from credit_tui.tui.widgets.status import STATUS_STYLE

WEEKDAY_HEADS = ("一", "二", "三", "四", "五", "六", "日")
"""Column heads, Monday first."""

DayMark = tuple[int, TaskStatus]
"""Occurrences due on a day and the worst status among them."""


def week_of(day: date) -> tuple[date, date]:
    """Monday and Sunday of the week holding ``day``."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


class MonthGrid(Widget, can_focus=True):
    """One month, Monday first, with a dot and count on each day that has deadlines."""

    DEFAULT_CSS = """
    MonthGrid { height: auto; width: 1fr; }
    MonthGrid > .month-grid--head { color: $text-muted; text-style: bold; }
    MonthGrid > .month-grid--weekend { color: $text-muted; }
    MonthGrid > .month-grid--today { color: $accent; text-style: bold underline; }
    MonthGrid > .month-grid--selected { background: $accent 35%; text-style: bold; }
    MonthGrid:focus > .month-grid--selected { background: $accent 60%; }
    MonthGrid > .month-grid--week { background: $accent 15%; }
    """

    COMPONENT_CLASSES = {
        "month-grid--head",
        "month-grid--weekend",
        "month-grid--today",
        "month-grid--selected",
        "month-grid--week",
    }

    BINDINGS = [
        Binding("left", "move(-1)", "日", key_display="←→", id="calendar-day"),
        Binding("right", "move(1)", "后一天", show=False, id="calendar-next-day"),
        Binding("up", "move(-7)", "周", key_display="↑↓", id="calendar-week"),
        Binding("down", "move(7)", "后一周", show=False, id="calendar-next-week"),
    ]

    selected: reactive[date] = reactive(date(2000, 1, 1))
    """The selected day; the grid shows its month."""
    today: reactive[date] = reactive(date(2000, 1, 1))
    """The day underlined as today."""
    week_mode: reactive[bool] = reactive(False)
    """Highlight the selected day's whole week."""

    class Selected(Message):
        """The selection moved to ``day``."""

        def __init__(self, grid: MonthGrid, day: date) -> None:
            super().__init__()
            self.grid = grid
            self.day = day

        @property
        def control(self) -> MonthGrid:
            """The grid that moved."""
            return self.grid

    def __init__(
        self,
        selected: date,
        *,
        today: date | None = None,
        bounds: tuple[date, date] | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._bounds = bounds
        self._marks: dict[date, DayMark] = {}
        self.set_reactive(MonthGrid.selected, self._clamp(selected))
        self.set_reactive(MonthGrid.today, today or selected)

    # --- API ---------------------------------------------------------------------------

    @property
    def title(self) -> str:
        """``2024 年 9 月``."""
        return f"{self.selected.year} 年 {self.selected.month} 月"

    def set_marks(self, marks: Mapping[date, DayMark]) -> None:
        """The count and worst status of each day that has occurrences."""
        self._marks = dict(marks)
        self.refresh()

    def select(self, day: date) -> None:
        """Move the selection to ``day`` (kept inside the bounds)."""
        self.selected = self._clamp(day)

    def shift_month(self, months: int) -> None:
        """Move by whole months, keeping the day where the month has it."""
        self.select(self.selected + relativedelta(months=months))

    def action_move(self, days: int) -> None:
        """Move by ``days`` (a day or a week)."""
        self.select(self.selected + timedelta(days=days))

    def _clamp(self, day: date) -> date:
        if self._bounds is None:
            return day
        first, last = self._bounds
        return min(max(day, first), last)

    def watch_selected(self, old: date, new: date) -> None:
        self.border_title = self.title
        if old != new:
            self.post_message(self.Selected(self, new))

    def on_mount(self) -> None:
        self.border_title = self.title

    # --- drawing -------------------------------------------------------------------------

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """A header line and six week lines."""
        return 7

    def render(self) -> Text:
        weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(
            self.selected.year, self.selected.month
        )
        height = max(self.content_size.height, 1 + len(weeks))
        lines_per_week = max(1, min(3, (height - 1) // len(weeks)))
        cell = max(5, min(12, self.content_size.width // 7))
        text = Text(no_wrap=True, overflow="crop")
        head = self.get_component_rich_style("month-grid--head")
        weekend = self.get_component_rich_style("month-grid--weekend")
        for n, name in enumerate(WEEKDAY_HEADS):
            text.append(_centre(name, cell), style=weekend if n >= 5 else head)
        for week in weeks:
            text.append("\n")
            text.append_text(self._week_line(week, cell, lines_per_week, first=True))
            for extra in range(1, lines_per_week):
                text.append("\n")
                if extra == 1:
                    text.append_text(self._week_line(week, cell, lines_per_week, first=False))
        return text

    def _week_line(self, week: list[date], cell: int, lines: int, *, first: bool) -> Text:
        """One line of a week: day numbers (with marks when one line a week), or marks."""
        line = Text()
        for day in week:
            if day.month != self.selected.month:
                line.append(" " * cell)
                continue
            body = Text()
            if first:
                today = self.get_component_rich_style("month-grid--today")
                body.append(f"{day.day:>2}", style=today if day == self.today else "")
            if not first or lines == 1:
                mark = self._marks.get(day)
                if mark is not None:
                    count, status = mark
                    body.append("●", style=STATUS_STYLE[status])
                    body.append(str(count))
            line.append_text(self._cell(body, cell, day))
        return line

    def _cell(self, body: Text, cell: int, day: date) -> Text:
        """``body`` centred in ``cell`` cells, the last one a gap, highlighted if selected."""
        inner = cell - 1
        body.truncate(inner)
        left = (inner - body.cell_len) // 2
        padded = Text(" " * left) + body + Text(" " * (inner - left - body.cell_len))
        padded.stylize_before(self._day_style(day))
        return padded + Text(" ")

    def _day_style(self, day: date) -> Style:
        if day == self.selected:
            return self.get_component_rich_style("month-grid--selected")
        monday, sunday = week_of(self.selected)
        if self.week_mode and monday <= day <= sunday:
            return self.get_component_rich_style("month-grid--week")
        return Style()


def _centre(text: str, cell: int) -> str:
    """``text`` (one CJK character) centred in ``cell`` cells, the last one a gap."""
    inner = cell - 1
    left = (inner - 2) // 2
    return " " * left + text + " " * (inner - 2 - left) + " "
