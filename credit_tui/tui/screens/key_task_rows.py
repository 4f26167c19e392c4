"""重点任务 (never scored) rows in the calendar's list: cells, span, and a new record's fields."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text

from credit_tui.scoring.dates import WEEKDAYS, fmt_md
from credit_tui.scoring.key_tasks import KEY_TASK, KeyTaskOccurrence
from credit_tui.tui.screens.task_rows import TaskRow
from credit_tui.tui.widgets.quick_table import Cell, ellipsize
from credit_tui.tui.widgets.status import status_word

if TYPE_CHECKING:
    from credit_tui.service.workbench import Workbench

__all__ = ["KEY_TASK", "key_task_cells", "key_task_rows", "key_tasks_between"]


def key_tasks_between(bench: Workbench, start: date, end: date) -> list[KeyTaskOccurrence]:
    """The key tasks' checks due from ``start`` to ``end``."""
    return [o for o in bench.key_task_occurrences() if start <= o.due <= end]


def key_task_cells(
    occ: KeyTaskOccurrence, label_cells: int, dept_cells: int, *, week: bool
) -> tuple[Cell | Text, ...]:
    """One check as the calendar's cells: 重点 · title · status · departments · 不计分."""
    what = f"（{occ.task.numeral}）{occ.task.title}" + (f"（{occ.label}）" if occ.label else "")
    depts = "、".join(occ.departments)
    if len(depts) * 2 > dept_cells:
        depts = f"{occ.departments[0]}等{len(occ.departments)}个"
    cells: tuple[Cell | Text, ...] = (
        Cell("重点", "cyan"),
        Cell(ellipsize(what, label_cells)),
        Cell(*status_word(occ.status)),
        Cell(ellipsize(depts, dept_cells)),
        Cell("—", "dim", "right"),
    )
    if week:
        return (Cell(f"{fmt_md(occ.due)} {WEEKDAYS[occ.due.weekday()][1]}"), *cells)
    return cells


def key_task_context(
    tasks: list[KeyTaskOccurrence], row: int, as_of: date
) -> dict[str, object] | None:
    """A new record for the key task at ``row`` of the calendar's key tasks, if it is one."""
    if not tasks or not 0 <= row < len(tasks):
        return None
    occ = tasks[row]
    return {
        "indicator": KEY_TASK,
        "component": occ.task.key,
        "department": occ.departments[0],
        "date": min(occ.due, as_of),
    }


def key_task_rows(bench: Workbench, department: str | None) -> list[TaskRow]:
    """The task list's rows for the key tasks the department shares (after the components)."""
    from credit_tui.scoring.calendar import worst
    from credit_tui.scoring.catalog import Component
    from credit_tui.scoring.report import ComponentScore

    occs = bench.key_task_occurrences()
    counts = bench.evidence_counts()
    rows: list[TaskRow] = []
    for task in bench.catalog.key_tasks:
        if department is not None and department not in task.departments:
            continue
        mine = [o for o in occs if o.task.key == task.key]
        statuses = frozenset(o.status for o in mine)
        label = f"（{task.numeral}）{task.title}"
        comp = Component.model_construct(
            key=task.key, label=label, rule="flag", points=0, departments=task.departments,
            schedule=task.schedule,
        )  # fmt: skip
        rows.append(
            TaskRow(
                indicator=KEY_TASK,
                code="重点",
                component=comp,
                score=ComponentScore(KEY_TASK, task.key, label, 0, 0, 0, ()),
                statuses=statuses,
                status=worst(statuses),
                next=next((o for o in mine if o.status.value not in ("已完成",)), None),  # type: ignore[arg-type]
                evidence=counts.get((KEY_TASK, task.key), 0),
                projected=None,
                words=f"重点任务 {task.numeral} {task.title} {task.key}".lower(),
            )
        )
    return rows
