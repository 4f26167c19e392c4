"""重点任务 (key tasks without points) in the text views: ``status`` and ``deadlines``."""

from __future__ import annotations

from datetime import date, timedelta

from credit_tui.reports.text import clip, pad, width
from credit_tui.scoring.calendar import TaskStatus
from credit_tui.scoring.dates import fmt_md
from credit_tui.scoring.key_tasks import KEY_TASK, KeyTaskOccurrence


def key_task_line(occ: KeyTaskOccurrence, cells: int = 78) -> str:
    """``07-31 重点任务（三）加强信用信息归集共享…（7 月）  即将到期  政务服务大厅交通窗口 等``."""
    depts = occ.departments[0] + (" 等" if len(occ.departments) > 1 else "")
    tail = f"{pad(occ.status.value, 8)} {pad(clip(depts, 16), 16)}  不计分"
    head = f"{fmt_md(occ.due)} "
    what = occ.title + (f"（{occ.label}）" if occ.label else "")
    room = cells - width(head) - width(tail) - 1
    return head + pad(clip(what, room), room) + " " + tail


def status_section(occs: list[KeyTaskOccurrence], as_of: date, soon_days: int) -> list[str]:
    """The meeting view's 重点任务 lines: per task, its overdue checks and its next one."""
    if not occs:
        return []
    lines = ["", "重点任务（不计分）"]
    tasks = sorted(dict.fromkeys(o.task.key for o in occs), key=_first_index(occs))
    for key in tasks:
        mine = [o for o in occs if o.task.key == key]
        overdue = sum(1 for o in mine if o.status is TaskStatus.OVERDUE)
        done = sum(1 for o in mine if o.status is TaskStatus.DONE)
        upcoming = next(
            (o for o in mine if o.due >= as_of and o.status is not TaskStatus.DONE), None
        )
        parts = [f"已完成 {done}/{len(mine)}"]
        if overdue:
            parts.append(f"逾期 {overdue} 次")
        if upcoming is not None:
            soon = upcoming.due <= as_of + timedelta(days=soon_days)
            parts.append(f"下次 {fmt_md(upcoming.due)}" + ("（即将到期）" if soon else ""))
        title = f"（{mine[0].task.numeral}）{mine[0].task.title}"
        lines.append(f"  {pad(clip(title, 36), 36)} {' · '.join(parts)}")
    return lines


def _first_index(occs: list[KeyTaskOccurrence]):  # type: ignore[no-untyped-def]
    numerals = "一二三四五六七八九十"
    by_key = {o.task.key: o.task.numeral for o in occs}
    return lambda key: (numerals.find(by_key[key][:1]) % 99, by_key[key])


def as_json(occ: KeyTaskOccurrence) -> dict[str, object]:
    """A key task's occurrence in ``deadlines --json`` (``at_stake`` 0: never scored)."""
    return {
        "due": occ.due.isoformat(),
        "indicator": KEY_TASK,
        "component": occ.task.key,
        "label": occ.title,
        "period": occ.label,
        "kind": "key_task",
        "status": occ.status.value,
        "at_stake": 0,
        "departments": list(occ.departments),
    }
