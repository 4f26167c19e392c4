"""日历: the deadline calendar, a month grid and the selected day's (or week's) occurrences.

Arrows move the day (grid), PgUp/PgDn the month, ``t`` goes back to today,
``w`` lists the whole week. Enter opens the selected occurrence's indicator;
``n`` starts a record for it, dated its deadline (or today, if that is earlier).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from dateutil.relativedelta import relativedelta
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Vertical
from textual.message import Message
from textual.widgets import DataTable, Static

from credit_tui.reports.text import pad, width
from credit_tui.scoring.calendar import STATUS_ORDER, Occurrence, TaskStatus, between, worst
from credit_tui.scoring.dates import WEEKDAYS, fmt_md
from credit_tui.scoring.key_tasks import KeyTaskOccurrence
from credit_tui.scoring.points import fmt
from credit_tui.tui.host import host
from credit_tui.tui.screens.base import MainScreen
from credit_tui.tui.screens.key_task_rows import key_task_cells, key_task_context, key_tasks_between
from credit_tui.tui.screens.missing_note import label_with_note, missing_note
from credit_tui.tui.widgets.month_grid import DayMark, MonthGrid, week_of
from credit_tui.tui.widgets.quick_table import Cell, QuickTable, ellipsize
from credit_tui.tui.widgets.status import STATUS_STYLE, status_word

DEPARTMENT_CELLS = (16, 22)
"""Least and most room for the departments column (``产业发展科 等 7 个``)."""
STACK_BELOW = 110
"""Below this many cells of body the list goes under the grid instead of beside it."""


class CalendarBody(Container):
    """Grid and list side by side, or stacked (``-stacked``) when the body is narrow."""

    def on_resize(self) -> None:
        self.set_class(self.size.width < STACK_BELOW, "-stacked")


class OccurrenceTable(QuickTable):
    """The occurrences of the selected day or week."""

    BINDINGS = [Binding("enter", "select_cursor", "指标", id="calendar-table-open")]

    class Resized(Message):
        """The table's width changed: the label column is re-fitted."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._width = -1

    def on_resize(self) -> None:
        if self.size.width != self._width:
            self._width = self.size.width
            self.post_message(self.Resized())


class CalendarScreen(MainScreen):
    """日历: deadlines by month, day and week."""

    CSS_PATH = "calendar.tcss"

    MODE = "calendar"
    AUTO_FOCUS = "#month-grid"
    BINDINGS = [
        Binding(
            "pageup", "shift_month(-1)", "上月", key_display="PgUp", priority=True,
            id="calendar-prev-month",
        ),
        Binding(
            "pagedown", "shift_month(1)", "下月", key_display="PgDn", priority=True,
            id="calendar-next-month",
        ),
        Binding("t", "today", "今天", id="calendar-today"),
        Binding("w", "toggle_week", "日/周", id="calendar-toggle-week"),
        Binding("enter", "open_indicator", "指标", id="calendar-open-indicator"),
        Binding("n", "new_evidence", "录入", id="calendar-new-evidence"),
    ]  # fmt: skip

    def __init__(self) -> None:
        super().__init__()
        self._week = False
        self._listed: list[Occurrence] = []
        self._tasks_listed: list[KeyTaskOccurrence] = []

    def compose_body(self) -> ComposeResult:
        bench = self.bench
        with CalendarBody(id="calendar-body"):
            with Container(id="calendar-left"):
                yield MonthGrid(
                    bench.as_of,
                    today=bench.as_of,
                    bounds=(date(bench.year, 1, 1), date(bench.year, 12, 31)),
                    id="month-grid",
                )
                yield Static(id="month-summary")
            with Vertical(id="day-pane"):
                yield OccurrenceTable(id="day-table")
                yield Static(id="day-empty")

    # --- drawing ---------------------------------------------------------------------

    def refresh_data(self) -> None:
        """Mark every day that has occurrences and list the selected day's."""
        days: dict[date, list[TaskStatus]] = defaultdict(list)
        for occ in self.bench.occurrences:
            days[occ.due].append(occ.status)
        for task in self.bench.key_task_occurrences():  # 重点任务 mark their days alike
            days[task.due].append(task.status)
        marks: dict[date, DayMark] = {
            day: (len(statuses), worst(statuses) or TaskStatus.NOT_STARTED)
            for day, statuses in days.items()
        }
        self.query_one(MonthGrid).set_marks(marks)
        self._fill_list()
        self._fill_summary()

    def _fill_summary(self) -> None:
        """The month's occurrences and 重点任务 checks by status (the colour legend too)."""
        day = self.query_one(MonthGrid).selected
        start = day.replace(day=1)
        end = start + relativedelta(months=1, days=-1)
        month = between(self.bench.occurrences, start, end)
        tasks = key_tasks_between(self.bench, start, end)  # counted as the day dots count them
        statuses = [o.status for o in month] + [o.status for o in tasks]
        text = Text(f"{day.month} 月共 {len(statuses)} 个时间节点", style="bold")
        text.append(f"（重点 {len(tasks)}）\n" if tasks else "\n", style="bold")
        for status in STATUS_ORDER:
            count = statuses.count(status)
            text.append("● ", style=STATUS_STYLE[status])
            text.append(pad(status.value, 9))
            text.append(f"{count:>3}\n", style="" if count else "dim")
        text.append("\n下划线：今天\n点的颜色：当天最紧要的状态", style="dim")
        self.query_one("#month-summary", Static).update(text)

    def _span(self) -> tuple[date, date]:
        """The selected day, or the Monday–Sunday week holding it."""
        day = self.query_one(MonthGrid).selected
        return week_of(day) if self._week else (day, day)

    def _fill_list(self, *, keep_cursor: bool = True) -> None:
        table = self.query_one(OccurrenceTable)
        cursor = table.cursor_row if keep_cursor else 0
        start, end = self._span()
        self._listed = between(self.bench.occurrences, start, end) if host(self).loaded else []
        table.clear(columns=True)
        least, most = DEPARTMENT_CELLS
        dept_cells = min(most, max(least, table.size.width // 5))
        fixed = 5 + 8 + dept_cells + 4 + (8 if self._week else 0)
        columns = 5 + (1 if self._week else 0)
        label_cells = max(8, table.size.width - 1 - fixed - 2 * columns)
        if self._week:
            table.add_column("日期", width=8)
        table.add_column("指标", width=5)
        table.add_column("事项", width=label_cells)
        table.add_column("状态", width=8)
        table.add_column("责任单位", width=dept_cells)
        table.add_column("分值", width=4)
        for occ in self._listed:
            table.add_row(*self._cells(occ, label_cells, dept_cells))
        tasks = key_tasks_between(self.bench, start, end) if host(self).loaded else []
        self._tasks_listed = tasks
        for task in tasks:
            table.add_row(*key_task_cells(task, label_cells, dept_cells, week=self._week))
        rows = len(self._listed) + len(tasks)
        if rows:
            table.move_cursor(row=min(cursor, rows - 1))
        if not rows and table.has_focus:
            self.query_one(MonthGrid).focus()
        table.display = bool(rows)
        empty = self.query_one("#day-empty", Static)
        empty.display = not rows
        empty.update("本周没有时间节点" if self._week else "这一天没有时间节点")
        self._set_title(start, end)

    def _cells(self, occ: Occurrence, label_cells: int, dept_cells: int) -> tuple[Cell | Text, ...]:
        """One occurrence as table cells (a gated one says what is missing: ``缺 领导小组``)."""
        spec = occ.spec
        catalog = self.bench.catalog
        what = catalog.by_code[spec.indicator].component(spec.component).label
        if spec.label:
            what += f"（{spec.label}）"
        note = missing_note(catalog, spec.indicator, spec.component, occ.missing)
        cells = (
            Cell(catalog.display_code(spec.indicator)),
            label_with_note(what, note, label_cells),
            Cell(*status_word(occ.status)),
            _departments(spec.departments, dept_cells),
            Cell(fmt(occ.at_stake), "" if occ.at_stake else "dim", "right"),
        )
        if self._week:
            return (Cell(f"{fmt_md(spec.due)} {WEEKDAYS[spec.due.weekday()][1]}"), *cells)
        return cells

    def _set_title(self, start: date, end: date) -> None:
        pane = self.query_one("#day-pane")
        if self._week:
            title = f"{start.month} 月 {start.day} 日至 {end.month} 月 {end.day} 日"
        else:
            today = "·今天" if start == self.bench.as_of else ""
            title = f"{start.month} 月 {start.day} 日（{WEEKDAYS[start.weekday()]}{today}）"
        tasks = len(self._tasks_listed)
        pane.border_title = f"{title} · {len(self._listed)} 项" + (
            f" · 重点任务 {tasks} 项" if tasks else ""
        )
        stake = sum(o.at_stake for o in self._listed if o.open)
        pane.border_subtitle = f"待争取 {fmt(stake)} 分" if stake else ""

    def _current(self) -> Occurrence | None:
        table = self.query_one(OccurrenceTable)
        if not self._listed or not 0 <= table.cursor_row < len(self._listed):
            return None
        return self._listed[table.cursor_row]

    def evidence_context(self) -> dict[str, object]:
        """The selected occurrence, dated its deadline or today, whichever is earlier."""
        occ = self._current()
        as_of = self.bench.as_of
        if occ is None:
            row = self.query_one(OccurrenceTable).cursor_row - len(self._listed)
            return key_task_context(self._tasks_listed, row, as_of) or {
                "date": min(self.query_one(MonthGrid).selected, as_of)
            }
        return {
            "indicator": occ.spec.indicator,
            "component": occ.spec.component,
            "department": occ.spec.departments[0],
            "date": min(occ.due, as_of),
        }

    # --- events and actions ------------------------------------------------------------

    @on(MonthGrid.Selected)
    def _day_moved(self, event: MonthGrid.Selected) -> None:
        self._fill_list(keep_cursor=False)
        if host(self).loaded:
            self._fill_summary()

    @on(OccurrenceTable.Resized)
    def _table_resized(self) -> None:
        if host(self).loaded:
            self._fill_list()

    @on(DataTable.RowSelected, "#day-table")
    def _row_chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_indicator()

    def action_shift_month(self, months: int) -> None:
        """The previous or next month."""
        self.query_one(MonthGrid).shift_month(months)

    def action_today(self) -> None:
        """Back to today (the as-of date)."""
        self.query_one(MonthGrid).select(self.bench.as_of)

    def action_toggle_week(self) -> None:
        """List the selected day, or its whole week."""
        self._week = not self._week
        self.query_one(MonthGrid).week_mode = self._week
        self._fill_list(keep_cursor=False)

    def action_open_indicator(self) -> None:
        """Open the indicator of the selected occurrence."""
        occ = self._current()
        if occ is None:
            on_task = self.query_one(OccurrenceTable).cursor_row >= len(self._listed)
            if on_task and getattr(self, "_tasks_listed", None):
                self.notify("重点任务不计分，没有指标页；按 n 登记材料", severity="information")
                return
            self.notify("所选日期没有时间节点", severity="warning")
            return
        host(self).show_indicator(occ.spec.indicator)

    def action_new_evidence(self) -> None:
        """Start a record for the selected occurrence."""
        if host(self).loaded:
            host(self).open_form(self.evidence_context())


def _departments(departments: tuple[str, ...], cells: int) -> Cell:
    """``法规科、办公室``, or ``产业发展科等7个`` when they do not fit."""
    joined = "、".join(departments)
    if width(joined) > cells:
        joined = f"{departments[0]}等{len(departments)}个"
    return Cell(ellipsize(joined, cells))
