"""任务: the components each department shares, with status, next deadline and points.

Departments on the left (全部 first) with their open, overdue and lost
occurrences; on the right one row per component the department shares, in
catalog order. ``f`` cycles a status filter, ``/`` searches by indicator code,
name or component label, Enter opens the indicator.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Input, OptionList, Static
from textual.widgets.option_list import Option

from credit_tui.reports.text import pad, rpad, width
from credit_tui.scoring.calendar import TaskStatus
from credit_tui.scoring.points import fmt
from credit_tui.tui.host import host
from credit_tui.tui.screens.base import MainScreen
from credit_tui.tui.screens.key_task_rows import KEY_TASK, key_task_rows
from credit_tui.tui.screens.task_rows import ALL, FILTERS, TaskRow, component_rows, task_cells
from credit_tui.tui.screens.task_widgets import DepartmentList, TaskTable, department_prompt

__all__ = ["DepartmentList", "TaskTable", "TasksScreen"]


class TasksScreen(MainScreen):
    """任务: what each department owes, one row per component."""

    CSS_PATH = "tasks.tcss"

    MODE = "tasks"
    AUTO_FOCUS = "#departments"
    BINDINGS = [
        Binding("slash", "search", "搜索", key_display="/", id="tasks-search"),
        Binding("f", "cycle_filter", "状态筛选", id="tasks-filter"),
        Binding("escape", "clear_search", "清除搜索", show=False, id="tasks-clear-search"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._department: str | None = None
        self._filter = 0
        self._query = ""
        self._rows: list[TaskRow] = []
        self._shown: list[TaskRow] = []
        self._counts: list[tuple[str, tuple[int, int, int]]] = []

    def compose_body(self) -> ComposeResult:
        with Vertical(id="department-pane"):
            yield Static(id="department-head")
            yield DepartmentList(id="departments")
        with Vertical(id="task-pane"):
            yield Input(placeholder="搜索指标编号、名称或事项…", id="task-search")
            yield TaskTable(id="task-table")
            yield Static("没有符合条件的事项", id="task-empty")

    def on_mount(self) -> None:
        self.query_one("#department-pane").border_title = "责任单位"
        self.query_one("#task-search").display = False
        self.query_one("#task-empty").display = False
        super().on_mount()

    # --- API used by the app ---------------------------------------------------------

    def select_department(self, department: str | None) -> None:
        """Show the tasks of ``department`` (None: every department)."""
        host(self).task_department = department
        if host(self).loaded and self.is_mounted:
            self._set_department(department)
            index = 0 if department is None else self._department_index(department)
            self.query_one(DepartmentList).highlighted = index

    def evidence_context(self) -> dict[str, object]:
        """The selected component and department, dated today."""
        context: dict[str, object] = {"date": self.bench.as_of}
        row = self._current()
        if row is not None:
            context["indicator"] = row.indicator
            context["component"] = row.component.key
            context["department"] = self._department or row.component.departments[0]
        elif self._department is not None:
            context["department"] = self._department
        return context

    # --- drawing ---------------------------------------------------------------------

    def refresh_data(self) -> None:
        """Redraw the department counts and the task table from the bench."""
        self._department = host(self).task_department
        self._fill_departments()
        self._set_department(self._department, force=True)

    def _fill_departments(self) -> None:
        bench = self.bench
        occs = bench.occurrences
        total = (
            sum(1 for o in occs if o.open),
            sum(1 for o in occs if o.status is TaskStatus.OVERDUE),
            sum(1 for o in occs if o.status is TaskStatus.LOST),
        )
        loads = bench.department_loads()
        self._counts = [(ALL, total)] + [(d.department, (d.open, d.overdue, d.lost)) for d in loads]
        self._draw_departments()
        index = 0 if self._department is None else self._department_index(self._department)
        self.query_one(DepartmentList).highlighted = index

    def _draw_departments(self) -> None:
        """The department list, fitted to its width: full column heads when there is room."""
        listing = self.query_one(DepartmentList)
        room = (listing.size.width or 30) - 2
        longest = max(width(name) for name, _ in self._counts)
        heads = ("待办", "逾期", "失分") if room - longest - 1 >= 15 else ("待", "逾", "失")
        cells = 5 if len(heads[0]) == 2 else 3
        name_cells = min(longest, room - 3 * cells - 1)
        head = Text(pad("单位", name_cells + 1), style="bold")
        for word in heads:
            head.append(rpad(word, cells), style="bold")
        self.query_one("#department-head", Static).update(head)
        prompts = [department_prompt(n, c, name_cells, cells) for n, c in self._counts]
        if listing.option_count == len(prompts):  # the highlight and scroll stay
            for index, prompt in enumerate(prompts):
                if listing.get_option_at_index(index).prompt != prompt:
                    listing.replace_option_prompt_at_index(index, prompt)
        else:
            listing.set_options(Option(prompt) for prompt in prompts)

    def _department_index(self, department: str) -> int:
        departments = self.bench.catalog.departments
        return departments.index(department) + 1 if department in departments else 0

    def _set_department(self, department: str | None, *, force: bool = False) -> None:
        if department == self._department and not force:
            return
        changed = department != self._department
        self._department = department
        host(self).task_department = department
        self._rows = component_rows(self.bench, department) + key_task_rows(self.bench, department)
        self._fill_table(keep_cursor=not changed)

    def _fill_table(self, *, keep_cursor: bool = True) -> None:
        table = self.query_one(TaskTable)
        if not table.size.width:
            # not laid out yet: its first ``Resized`` fills it, fitted to its width (a fill
            # now would be fitted to no width and thrown away, 30–50 ms at first sight)
            return
        cursor = table.cursor_row if keep_cursor else 0
        name, keep = FILTERS[self._filter]
        words = self._query.lower().split()
        self._shown = [
            row for row in self._rows if keep(row) and all(w in row.words for w in words)
        ]
        table.clear(columns=True)
        scores = [
            "不计分" if r.indicator == KEY_TASK else f"{fmt(r.score.earned)}/{fmt(r.score.max)}"
            for r in self._shown
        ]
        fixed = {
            "指标": max([4, *(width(r.code) for r in self._shown)]),
            "状态": 8,
            "到期": 5,
            "得分": max([4, *(width(s) for s in scores)]),
            "证据": 4,
        }
        label_cells = max(8, table.size.width - 1 - sum(fixed.values()) - 2 * (len(fixed) + 1))
        table.add_column("指标", width=fixed["指标"])
        table.add_column("事项", width=label_cells)
        for title in ("状态", "到期", "得分", "证据"):
            table.add_column(title, width=fixed[title])
        for row, score in zip(self._shown, scores, strict=True):
            table.add_row(*task_cells(row, score, label_cells))
        if self._shown:
            table.move_cursor(row=min(cursor, len(self._shown) - 1))
        if not self._shown and table.has_focus:
            self.query_one(DepartmentList).focus()
        table.display = bool(self._shown)
        self.query_one("#task-empty").display = not self._shown
        self._set_titles(name)

    def _set_titles(self, filter_name: str) -> None:
        pane = self.query_one("#task-pane")
        rows = [r for r in self._rows if r.indicator != KEY_TASK]
        tasks = len(self._rows) - len(rows)
        title = (
            f"{self._department or '全部单位'} · {len(rows)} 项 · "
            f"得分 {fmt(sum(r.score.earned for r in rows))}/{fmt(sum(r.score.max for r in rows))}"
        )
        if self.bench.projected is not None:
            title += f" · 预计 {fmt(sum(r.projected or 0 for r in rows))}"
        pane.border_title = title
        notes = []
        if filter_name != ALL:
            notes.append(f"筛选：{filter_name}")
        if self._query.strip():
            notes.append(f"搜索：{self._query.strip()}")
        if notes:
            notes.append(f"显示 {len(self._shown)}/{len(self._rows)}")
        if tasks:
            notes.append(f"另有重点任务 {tasks} 项（不计分）")
        pane.border_subtitle = " · ".join(notes)

    def _current(self) -> TaskRow | None:
        table = self.query_one(TaskTable)
        if not self._shown or not 0 <= table.cursor_row < len(self._shown):
            return None
        return self._shown[table.cursor_row]

    # --- events and actions ------------------------------------------------------------

    @on(OptionList.OptionHighlighted, "#departments")
    def _department_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if not host(self).loaded:
            return
        index = event.option_index
        departments = self.bench.catalog.departments
        self._set_department(departments[index - 1] if 0 < index <= len(departments) else None)

    @on(OptionList.OptionSelected, "#departments")
    def _department_chosen(self) -> None:
        self.query_one(TaskTable).focus()

    @on(DataTable.RowSelected, "#task-table")
    def _row_chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        row = self._current()
        if row is not None and row.indicator == KEY_TASK:
            self.notify("重点任务不计分，没有指标页；按 n 登记材料", severity="information")
        elif row is not None:
            host(self).show_indicator(row.indicator)

    @on(TaskTable.Resized)
    def _table_resized(self) -> None:
        if host(self).loaded and self._rows:
            self._fill_table()

    @on(DepartmentList.Resized)
    def _departments_resized(self) -> None:
        if self._counts:
            self._draw_departments()

    @on(Input.Changed, "#task-search")
    def _search_changed(self, event: Input.Changed) -> None:
        self._query = event.value
        if host(self).loaded:
            self._fill_table(keep_cursor=False)

    @on(Input.Submitted, "#task-search")
    def _search_done(self) -> None:
        self.query_one(TaskTable).focus()

    def action_search(self) -> None:
        """Show the search box and type into it."""
        search = self.query_one("#task-search", Input)
        search.display = True
        search.focus()

    def action_clear_search(self) -> None:
        """Empty and hide the search box."""
        search = self.query_one("#task-search", Input)
        if not search.display:
            return
        search.value = ""
        search.display = False
        self.query_one(TaskTable).focus()

    def action_cycle_filter(self) -> None:
        """全部 → 未完成 → 已逾期 → 已失分 → 已完成 → 全部."""
        self._filter = (self._filter + 1) % len(FILTERS)
        if host(self).loaded:
            self._fill_table(keep_cursor=False)
