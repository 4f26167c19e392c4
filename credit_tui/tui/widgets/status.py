"""How a task status looks: one colour per status, shared by every screen."""

from __future__ import annotations

from credit_tui.scoring.calendar import TaskStatus

STATUS_STYLE: dict[TaskStatus, str] = {
    TaskStatus.DONE: "green",
    TaskStatus.IN_PROGRESS: "dodger_blue1",
    TaskStatus.NOT_STARTED: "dim",
    TaskStatus.DUE_SOON: "yellow",
    TaskStatus.OVERDUE: "bold red",
    TaskStatus.LOST: "bold red on grey23",
}
"""Rich style of each status (word or dot), shared by the task and calendar tables."""

PLANNED_STYLE = "cyan"
"""Rich style of the ``计划`` tag (points that hang on a planned record)."""


def status_word(status: TaskStatus | None, empty: str = "—") -> tuple[str, str]:
    """The status word and its colour (``empty`` dimmed when there is none), for a ``Cell``."""
    if status is None:
        return empty, "dim"
    return status.value, STATUS_STYLE[status]
