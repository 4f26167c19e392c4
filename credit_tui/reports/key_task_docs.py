"""重点任务 (key tasks without points, SPEC 11) in the documents: the 督办通知, the ICS
calendar and the meeting report. Always marked 重点任务（不计分）, never with points."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from credit_tui.scoring.calendar import TaskStatus
from credit_tui.scoring.catalog import Catalog
from credit_tui.scoring.evidence import Evidence
from credit_tui.scoring.key_tasks import KEY_TASK, KeyTaskOccurrence, key_task_occurrences

MARK = "重点任务（不计分）"
NO_POINTS = "不计分"
HEADER = ["时间节点", "重点任务", "责任单位", "状态", "分值"]
NOTE = "重点任务为创建方案正文规定的工作，不计分、不计入总分，但须按期完成并留存佐证材料。"


def heading(occs: Iterable[KeyTaskOccurrence]) -> str:
    """``重点任务（不计分）：已逾期 18 项，即将到期 2 项``."""
    occs = list(occs)
    overdue = sum(1 for o in occs if o.status is TaskStatus.OVERDUE)
    return f"{MARK}：已逾期 {overdue} 项，即将到期 {len(occs) - overdue} 项"


def what(occ: KeyTaskOccurrence) -> str:
    """``（三）加强信用信息归集共享（“双公示”）（7 月）``."""
    return f"（{occ.task.numeral}）{occ.task.title}" + (f"（{occ.label}）" if occ.label else "")


def checks(
    catalog: Catalog, year: int, records: Iterable[Evidence], as_of: date
) -> list[KeyTaskOccurrence]:
    """The year's key-task checks with their status as of ``as_of``."""
    return key_task_occurrences(catalog, year, records, as_of)


def due_now(
    occs: Iterable[KeyTaskOccurrence], as_of: date, soon_days: int
) -> tuple[list[KeyTaskOccurrence], list[KeyTaskOccurrence]]:
    """(overdue, due within ``soon_days`` and not done): the meeting report's two lists."""
    occs = list(occs)
    overdue = [o for o in occs if o.status is TaskStatus.OVERDUE]
    end = as_of + timedelta(days=soon_days)
    upcoming = [o for o in occs if as_of <= o.due <= end and o.status is not TaskStatus.DONE]
    return overdue, upcoming


def missing(occ: KeyTaskOccurrence) -> str:
    """What the check still lacks: ``7 月尚无完成记录`` (planned ones say so)."""
    if occ.status is TaskStatus.IN_PROGRESS:
        return f"{occ.label or '本期'}已有计划，尚无完成记录"
    return f"{occ.label or '本期'}尚无完成记录"


def row_cells(occ: KeyTaskOccurrence) -> list[str]:
    """One check as the meeting report's row (``HEADER``)."""
    return [
        f"{occ.due.month}月{occ.due.day}日",
        what(occ),
        "、".join(occ.departments),
        occ.status.value,
        NO_POINTS,
    ]


def ics_uid(year: int, occ: KeyTaskOccurrence) -> str:
    """A check's stable identity in the calendar (same in every export)."""
    return f"{year}-key-{occ.task.key}-{occ.due:%m%d}@credit-tui"


def ics_summary(occ: KeyTaskOccurrence) -> str:
    """``重点任务（不计分）（三）加强信用信息归集共享（“双公示”）（7 月）``."""
    return MARK + what(occ)


def ics_description(occ: KeyTaskOccurrence) -> str:
    """Task, departments, 不计分, the schedule's wording and the period."""
    task = occ.task
    lines = [
        f"{KEY_TASK}：（{task.numeral}）{task.title}",
        f"责任单位：{'、'.join(task.departments)}",
        "分值：不计分（重点任务不计入总分）",
        f"时间节点：{task.schedule.text}" if task.schedule.text else "",
        f"所属期间：{occ.start.isoformat()} 至 {occ.due.isoformat()}",
        f"说明：{task.note}" if task.note else "",
    ]
    return "\n".join(line for line in lines if line)
