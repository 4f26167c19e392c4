"""The task list's rows: one per component a department shares, its cells, the filters.

Shared by the task list (``tasks``) and the 重点任务 rows (``key_task_rows``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text

from credit_tui.scoring.calendar import Occurrence, TaskStatus, next_due, worst
from credit_tui.scoring.catalog import Component
from credit_tui.scoring.dates import fmt_md
from credit_tui.scoring.points import Halves
from credit_tui.scoring.report import ComponentScore
from credit_tui.tui.screens.missing_note import label_with_note, missing_note
from credit_tui.tui.widgets.quick_table import Cell, ellipsize
from credit_tui.tui.widgets.status import PLANNED_STYLE, STATUS_STYLE, status_word

if TYPE_CHECKING:
    from credit_tui.service.workbench import Workbench

ALL = "全部"


@dataclass(frozen=True, slots=True)
class TaskRow:
    """One component as the task table shows it."""

    indicator: str
    code: str
    """``四、2``."""
    component: Component
    score: ComponentScore
    statuses: frozenset[TaskStatus]
    status: TaskStatus | None
    """The worst status among the component's occurrences."""
    next: Occurrence | None
    """The first open occurrence (overdue ones first)."""
    evidence: int
    projected: Halves | None
    words: str
    """Lower-case text the search looks in."""
    note: str = ""
    """What must come first before the component can earn (``缺 领导小组``), else empty."""


FILTERS: tuple[tuple[str, Callable[[TaskRow], bool]], ...] = (
    (ALL, lambda row: True),
    ("未完成", lambda row: row.next is not None),
    ("已逾期", lambda row: TaskStatus.OVERDUE in row.statuses),
    ("已失分", lambda row: TaskStatus.LOST in row.statuses or row.score.lost > 0),
    ("已完成", lambda row: row.status is TaskStatus.DONE),
)
"""Status filters in the order ``f`` cycles them."""


def component_rows(bench: Workbench, department: str | None) -> list[TaskRow]:
    """One row per component the department shares (every one for None), in catalog order."""
    catalog = bench.catalog
    projected = bench.projected
    by_component: dict[tuple[str, str], list[Occurrence]] = defaultdict(list)
    for occ in bench.occurrences:
        by_component[(occ.spec.indicator, occ.spec.component)].append(occ)
    evidence = bench.evidence_counts()
    rows: list[TaskRow] = []
    for ind in catalog.indicators:
        for comp in ind.components:
            if department is not None and department not in comp.departments:
                continue
            occs = by_component[(ind.code, comp.key)]
            missing = bench.report.component(ind.code, comp.key).missing
            statuses = frozenset(o.status for o in occs)
            code = catalog.display_code(ind.code)
            rows.append(
                TaskRow(
                    indicator=ind.code,
                    code=code,
                    component=comp,
                    score=bench.report.component(ind.code, comp.key),
                    statuses=statuses,
                    status=worst(statuses),
                    next=next_due(occs, ind.code, comp.key),
                    evidence=evidence.get((ind.code, comp.key), 0),
                    projected=(
                        projected.component(ind.code, comp.key).earned if projected else None
                    ),
                    words=f"{ind.code} {code} {ind.name} {comp.label} {comp.key}".lower(),
                    note=missing_note(catalog, ind.code, comp.key, missing),
                )
            )
    return rows


def task_cells(row: TaskRow, score: str, label_cells: int) -> tuple[Cell | Text, ...]:
    """The table cells of one component."""
    planned = row.score.planned > 0
    label = ellipsize(row.component.label, label_cells - (5 if planned else 0))
    due: date | None = row.next.due if row.next else None
    due_style = STATUS_STYLE[row.next.status] if row.next else "dim"
    if row.note:
        what: Cell | Text = label_with_note(row.component.label, row.note, label_cells)
    elif planned:
        what = Text.assemble(label, (" 计划", PLANNED_STYLE))
    else:
        what = Cell(label)
    return (
        Cell(row.code),
        what,
        Cell(*status_word(row.status)),
        Cell(fmt_md(due) if due else "—", due_style),
        Cell(score, justify="right"),
        Cell(str(row.evidence), "" if row.evidence else "dim", "right"),
    )
