"""What the meeting report shows, gathered once: the score (and projection), the month-end
trend, lost points, deadlines, departments' loads; and the rows and cells every format of
the report (``meeting_html``, ``meeting_md``, ``meeting_docx``) lays out the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from credit_tui.reports import key_task_docs as ktd
from credit_tui.reports.label import with_label
from credit_tui.reports.org_name import full_organisation
from credit_tui.reports.scored import Scored, scored
from credit_tui.scoring.calendar import (
    DepartmentLoad,
    Occurrence,
    TaskStatus,
    between,
    department_loads,
    occurrences,
    with_status,
)
from credit_tui.scoring.catalog import Catalog
from credit_tui.scoring.dates import clamp_as_of, month_end
from credit_tui.scoring.engine import score
from credit_tui.scoring.evidence import Evidence
from credit_tui.scoring.key_tasks import KeyTaskOccurrence
from credit_tui.scoring.points import Halves, fmt
from credit_tui.scoring.report import ComponentScore, ScoreReport

if TYPE_CHECKING:
    from credit_tui.store.database import Store

PROJECTION_NOTE = (
    "“预计”为年终（12 月 31 日）得分：已登记为“计划”的材料按期完成、此外不再新增材料时的分数"
    "（之后各月、各季度按缺报计，故个别指标的预计可能低于当前得分）。"
)
STATUS_CLASSES = {
    TaskStatus.DONE: "s-done",
    TaskStatus.IN_PROGRESS: "s-progress",
    TaskStatus.NOT_STARTED: "s-new",
    TaskStatus.DUE_SOON: "s-soon",
    TaskStatus.OVERDUE: "s-overdue",
    TaskStatus.LOST: "s-lost",
}


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """Earned as of one month's end (or as of the report's date, for its own month)."""

    month: int
    day: date
    earned: Halves

    @property
    def partial(self) -> bool:
        """The month has not ended by the report's date."""
        return self.day != month_end(self.day.year, self.month)

    @property
    def label(self) -> str:
        """``"7月"``."""
        return f"{self.month}月"

    @property
    def note(self) -> str:
        """``"月末"`` or ``"截至15日"``."""
        return f"截至{self.day.day}日" if self.partial else "月末"


@dataclass(frozen=True, slots=True)
class Meeting:
    """Everything the report shows."""

    catalog: Catalog
    report: ScoreReport
    projected: ScoreReport | None
    trend: tuple[TrendPoint, ...]
    lost: tuple[ComponentScore, ...]
    overdue: tuple[Occurrence, ...]
    upcoming: tuple[Occurrence, ...]
    soon_days: int
    loads: tuple[DepartmentLoad, ...]
    key_tasks: tuple[KeyTaskOccurrence, ...] = ()
    """重点任务 checks overdue or due within ``soon_days`` (never scored)."""

    @property
    def title(self) -> str:
        """The report's heading."""
        return with_label(
            f"{full_organisation(self.catalog)} {self.report.year} 年度信用交通县创建工作会议报告",
            self.catalog,
            self.report.year,
        )

    @property
    def subtitle(self) -> str:
        """``截至 2024 年 7 月 15 日``."""
        d = self.report.as_of
        text = f"截至 {d.year} 年 {d.month} 月 {d.day} 日"
        if self.report.final:
            text += "（年终）"
        return text


def gather(store: Store | Scored, as_of: date) -> Meeting:
    """Score the store as of ``as_of`` and collect what the meeting report shows."""
    done = scored(store, as_of=as_of, projection=True)
    catalog, year, records, report = done.catalog, done.year, done.records, done.report
    occs = occurrences(catalog, report)
    soon = catalog.due_soon_days
    day = report.as_of
    overdue_tasks, upcoming_tasks = ktd.due_now(ktd.checks(catalog, year, records, day), day, soon)
    return Meeting(
        catalog=catalog,
        report=report,
        projected=done.projection,
        trend=tuple(month_trend(catalog, records, year, as_of, report)),
        lost=tuple(c for ind in report.indicators for c in ind.components if c.lost),
        overdue=tuple(with_status(occs, TaskStatus.OVERDUE)),
        upcoming=tuple(o for o in between(occs, day, day + timedelta(days=soon)) if o.open),
        soon_days=soon,
        loads=tuple(department_loads(occs, catalog.departments)),
        key_tasks=tuple(overdue_tasks + upcoming_tasks),
    )


def month_trend(
    catalog: Catalog,
    records: Sequence[Evidence],
    year: int,
    as_of: date,
    report: ScoreReport | None = None,
) -> list[TrendPoint]:
    """Earned as of each month end of the year up to ``as_of``; its own month as of ``as_of``."""
    as_of = clamp_as_of(as_of, year)
    if as_of < date(year, 1, 1):
        return []
    points = []
    for month in range(1, as_of.month + 1):
        day = min(month_end(year, month), as_of)
        if day == as_of and report is not None:
            earned = report.earned
        else:
            earned = score(catalog, records, year=year, as_of=day).earned
        points.append(TrendPoint(month, day, earned))
    return points


def short_date(day: date) -> str:
    """``"7月15日"``."""
    return f"{day.month}月{day.day}日"


def _occurrence_what(catalog: Catalog, occ: Occurrence) -> str:
    spec = occ.spec
    comp = catalog.by_code[spec.indicator].component(spec.component)
    return comp.label + (f"（{spec.label}）" if spec.label else "")


def totals(m: Meeting) -> list[tuple[str, str]]:
    r = m.report
    items = [
        ("已得", f"{fmt(r.earned)} / {fmt(r.max)}"),
        ("已失", fmt(r.lost)),
        ("可达", fmt(r.potential)),
    ]
    if m.projected is not None:
        items.append(("预计（计划按期完成）", fmt(m.projected.earned)))
    return items


def score_rows(m: Meeting) -> list[tuple[bool, str, list[str]]]:
    """(is category, label, numbers) rows of the score table."""
    rows = []
    proj = m.projected
    for cat in m.report.categories:
        nums = [fmt(cat.earned), fmt(cat.lost), fmt(cat.potential), fmt(cat.max)]
        if proj is not None:
            nums.append(fmt(proj.category(cat.code).earned))
        rows.append((True, cat.title, nums))
        for ind in m.report.indicators:
            if ind.category_code != cat.code:
                continue
            nums = [fmt(ind.earned), fmt(ind.lost), fmt(ind.potential), fmt(ind.max)]
            if proj is not None:
                nums.append(fmt(proj.indicator(ind.code).earned))
            rows.append((False, f"{m.catalog.display_code(ind.code)} {ind.name}", nums))
    total = [fmt(m.report.earned), fmt(m.report.lost), fmt(m.report.potential), fmt(m.report.max)]
    if proj is not None:
        total.append(fmt(proj.earned))
    rows.append((True, "合计", total))
    return rows


def score_header(m: Meeting) -> list[str]:
    return ["得分", "已失", "可达", "满分"] + (["预计"] if m.projected is not None else [])


def occurrence_cells(catalog: Catalog, occ: Occurrence) -> list[str]:
    return [
        short_date(occ.due),
        catalog.display_code(occ.spec.indicator),
        _occurrence_what(catalog, occ),
        "、".join(occ.spec.departments),
        occ.status.value,
        fmt(occ.at_stake),
    ]


OCC_HEADER = ["时间节点", "指标", "事项", "责任单位", "状态", "分值"]
LOAD_HEADER = ["责任单位", "时间节点", "待办", "逾期", "失分"]


def load_cells(load: DepartmentLoad) -> list[str]:
    return [load.department, str(load.items), str(load.open), str(load.overdue), str(load.lost)]
