"""The task list's two panes: the departments (with their counts) and the components."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList

from credit_tui.scoring.calendar import TaskStatus
from credit_tui.tui.widgets.quick_table import QuickTable
from credit_tui.tui.widgets.status import STATUS_STYLE


class DepartmentList(OptionList):
    """The departments; → moves to the task table."""

    class Resized(Message):
        """The list's width changed: the prompts are re-fitted."""

    BINDINGS = [Binding("right", "to_table", "事项", show=False, id="tasks-to-table")]

    def on_resize(self) -> None:
        self.post_message(self.Resized())

    def action_to_table(self) -> None:
        """Move to the task table."""
        self.screen.query_one("#task-table").focus()


class TaskTable(QuickTable):
    """The components of the selected department; ← moves back to the departments."""

    BINDINGS = [
        Binding("enter", "select_cursor", "指标详情", id="tasks-open-indicator"),
        Binding("left", "to_departments", "单位", show=False, id="tasks-to-departments"),
    ]

    class Resized(Message):
        """The table's width changed: the label column is re-fitted."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._width = -1

    def action_to_departments(self) -> None:
        """Move back to the department list."""
        self.screen.query_one("#departments").focus()

    def on_resize(self) -> None:
        if self.size.width != self._width:
            self._width = self.size.width
            self.post_message(self.Resized())


def department_prompt(name: str, counts: tuple[int, int, int], name_cells: int, cells: int) -> Text:
    """``法规科   29   2   2``: open, overdue (red) and lost (red on dark); zeros dimmed."""
    label = Text(name)
    label.truncate(name_cells, overflow="ellipsis", pad=True)
    text = label + Text(" ")
    styles = ("", STATUS_STYLE[TaskStatus.OVERDUE], STATUS_STYLE[TaskStatus.LOST])
    for count, style in zip(counts, styles, strict=True):
        text.append(" " * (cells - len(str(count))))
        text.append(str(count), style=(style if count else "dim"))
    return text
