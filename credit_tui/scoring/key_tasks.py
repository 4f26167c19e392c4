"""Key tasks without points (重点任务, SPEC 11): their dated occurrences and statuses.

A key task's records are filed under the indicator code ``KEY_TASK`` with the
task's key as component; the engine never sees them in its table, so they
never enter the score (the total stays the table's). Each occurrence is done
when a record (not planned) is dated within its period, else overdue once its
date has passed, due soon within the table's warning days, in progress when a
planned record is there, otherwise not started.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from credit_tui.scoring.calendar import TaskStatus, _month_ends
from credit_tui.scoring.dates import QUARTER_NAMES, mmdd
from credit_tui.scoring.model import Catalog, KeyTask
from credit_tui.scoring.plain import record
from credit_tui.scoring.record import KEY_TASK, Evidence

__all__ = ["KEY_TASK", "KeyTaskOccurrence", "key_task_occurrences", "key_task_of"]


@record
class KeyTaskOccurrence:
    """One dated check of a key task, with its status as of a date."""

    task: KeyTask
    due: date
    start: date
    label: str
    status: TaskStatus
    records: int

    @property
    def title(self) -> str:
        """``重点任务（三）加强信用信息归集共享（“双公示”）``."""
        return f"重点任务（{self.task.numeral}）{self.task.title}"

    @property
    def departments(self) -> tuple[str, ...]:
        """The task's departments."""
        return self.task.departments


def key_task_of(catalog: Catalog, text: str) -> KeyTask | None:
    """The key task named by its key, ``（三）``/``三`` or its title; None if none."""
    text = text.strip().removeprefix(KEY_TASK).strip("（）() ")
    for task in catalog.key_tasks:
        if text in (task.key, task.numeral, task.title):
            return task
    return None


def _periods(task: KeyTask, year: int) -> list[tuple[date, date, str]]:
    sched = task.schedule
    final = mmdd(year, sched.final) if sched.final else None
    out: list[tuple[date, date, str]] = []
    if sched.every == "month":
        ends = _month_ends(year, sched.start_month, 1)
        out += [(e.replace(day=1), e, f"{e.month} 月") for e in ends]
    elif sched.every == "quarter":
        for end in _month_ends(year, 3, 3):
            q = (end.month - 1) // 3
            out.append((date(year, 3 * q + 1, 1), end, QUARTER_NAMES[q]))
    if final is not None:
        out = [p for p in out if p[1] <= final] + [(date(year, 1, 1), final, "最终")]
    out += [(date(year, 1, 1), mmdd(year, d), "") for d in sched.due]
    return sorted(out, key=lambda p: p[1])


def key_task_occurrences(
    catalog: Catalog, year: int, records: Iterable[Evidence], as_of: date
) -> list[KeyTaskOccurrence]:
    """Every key task's occurrences in ``year``, by date, with their status as of ``as_of``."""
    mine: dict[str, list[Evidence]] = {}
    for rec in records:
        if rec.indicator == KEY_TASK:
            mine.setdefault(rec.component, []).append(rec)
    soon = timedelta(days=catalog.due_soon_days)
    out: list[KeyTaskOccurrence] = []
    order = {task.key: n for n, task in enumerate(catalog.key_tasks)}
    for task in catalog.key_tasks:
        recs = mine.get(task.key, [])
        for start, due, label in _periods(task, year):
            inside = [r for r in recs if start <= r.date <= due and r.date <= as_of]
            done = [r for r in inside if r.status != "planned"]
            if done:
                status = TaskStatus.DONE
            elif due < as_of:
                status = TaskStatus.OVERDUE
            elif due <= as_of + soon:
                status = TaskStatus.DUE_SOON
            elif any(start <= r.date <= due for r in recs):  # planned, or dated later
                status = TaskStatus.IN_PROGRESS
            else:
                status = TaskStatus.NOT_STARTED
            out.append(KeyTaskOccurrence(task, due, start, label, status, len(done)))
    out.sort(key=lambda o: (o.due, order[o.task.key]))
    return out
