"""督办通知 (.docx): a notice to one department that is behind (the original's 四（二）强化
督查考核: 专项督查 … 予以通报).

It lists every occurrence the department shares that is 已逾期 or 即将到期 as of the
date — the same ones ``deadlines --department … --json`` shows with those statuses —
each with its indicator, what is asked, the 时间节点, the points at stake and what is
still missing, then its 重点任务 checks overdue or due soon (marked 重点任务（不计分）,
分值 不计分); then the department's points already lost. Header: the organisation,
a 文号 line to fill in, the date; signed by the 法规科.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from credit_tui.reports import docx_common as dc
from credit_tui.reports import key_task_docs as ktd
from credit_tui.reports.org_name import full_organisation
from credit_tui.reports.scored import Scored, scored
from credit_tui.reports.text import lost_reasons
from credit_tui.scoring.calendar import (
    Occurrence,
    TaskStatus,
    for_department,
    occurrences,
    with_status,
)
from credit_tui.scoring.key_tasks import KEY_TASK, KeyTaskOccurrence
from credit_tui.scoring.points import Halves, fmt

if TYPE_CHECKING:
    from credit_tui.scoring.catalog import Catalog
    from credit_tui.scoring.report import ComponentScore, ScoreReport
    from credit_tui.store.database import Store

NOTICE_STATUSES = (TaskStatus.OVERDUE, TaskStatus.DUE_SOON)
SHORTFALL_WORDS = ("失", "少", "缺", "不得分", "不计分", "尚无", "未")
"""Words of a reason that names what is still missing."""
SIGNER = "法规科（信用工作办公室）"
WIDTHS_CM = (1.4, 2.4, 3.4, 2.9, 1.9, 3.6)
"""序号, 指标, 任务, 时间节点, 分值, 尚缺: 15.6 cm, the width between the margins (指标 holds
重点任务 and 分值 不计分 on one line at 四号)."""


@dataclass(frozen=True, slots=True)
class NoticeItem:
    """One overdue or due-soon occurrence."""

    indicator: str
    """The code, ``7.1``."""
    component: str
    shown_code: str
    """``七、1``."""
    task: str
    due: date
    status: TaskStatus
    at_stake: Halves
    missing: str
    scored: bool = True
    """False for a 重点任务 check: its 分值 says 不计分."""


@dataclass(frozen=True, slots=True)
class LostItem:
    """A component of the department's that has lost points for good."""

    shown_code: str
    label: str
    lost: Halves
    why: str


@dataclass(frozen=True, slots=True)
class Notice:
    """Everything one department's notice says."""

    organisation: str
    department: str
    as_of: date
    items: tuple[NoticeItem, ...]
    lost: tuple[LostItem, ...]


def gather(store: Store | Scored, department: str, *, as_of: date) -> Notice:
    """The notice to ``department`` (its canonical name) as of ``as_of``."""
    done = scored(store, as_of=as_of)
    catalog, report = done.catalog, done.report
    tasks = ktd.checks(catalog, done.year, done.records, report.as_of)
    return notice_for(catalog, report, occurrences(catalog, report), department, done.store, tasks)


def notice_for(
    catalog: Catalog,
    report: ScoreReport,
    occs: list[Occurrence],
    department: str,
    store: Store | None = None,
    tasks: Iterable[KeyTaskOccurrence] = (),
) -> Notice:
    """Build the notice from a scored report, its occurrences and the 重点任务 checks."""
    mine = with_status(for_department(occs, department), *NOTICE_STATUSES)
    checks = [o for o in tasks if o.status in NOTICE_STATUSES and department in o.departments]
    items = tuple(_item(catalog, report, o) for o in mine) + tuple(map(_task_item, checks))
    lost = tuple(
        LostItem(
            catalog.display_code(c.indicator),
            c.label,
            c.lost,
            "；".join(lost_reasons(c)),
        )
        for ind in report.indicators
        for c in ind.components
        if c.lost and department in catalog.by_code[ind.code].component(c.key).departments
    )
    organisation = full_organisation(catalog, store.campaign.organisation if store else "")
    return Notice(organisation, department, report.as_of, items, lost)


def _item(catalog: Catalog, report: ScoreReport, occ: Occurrence) -> NoticeItem:
    spec = occ.spec
    comp = catalog.by_code[spec.indicator].component(spec.component)
    task = comp.label + (f"（{spec.label}）" if spec.label else "")
    missing = _missing(report.component(spec.indicator, spec.component), occ)
    return NoticeItem(
        spec.indicator,
        spec.component,
        catalog.display_code(spec.indicator),
        task,
        spec.due,
        occ.status,
        occ.at_stake,
        missing,
    )


def _task_item(occ: KeyTaskOccurrence) -> NoticeItem:
    """A 重点任务 check: 指标 重点任务, 分值 不计分 (the intro counts them as 不计分)."""
    return NoticeItem(
        KEY_TASK, occ.task.key, KEY_TASK, ktd.what(occ), occ.due, occ.status, 0,
        ktd.missing(occ), scored=False,
    )  # fmt: skip


def _missing(comp: ComponentScore, occ: Occurrence) -> str:
    """What the occurrence still lacks, in the clerk's words."""
    if occ.spec.kind == "period" and occ.records == 0:
        return f"{occ.spec.label or '本期'}尚无佐证材料"
    short = [r for r in comp.reasons if any(w in r for w in SHORTFALL_WORDS)]
    if short:
        return "；".join(short)
    if comp.earned:
        have = "；".join(comp.reasons)
        return f"已得 {fmt(comp.earned)} 分（{have}），尚差 {fmt(occ.at_stake)} 分"
    return "尚无佐证材料"


def _cn_date(day: date) -> str:
    return f"{day.year} 年 {day.month} 月 {day.day} 日"


def build(notice: Notice):
    """The notice as a python-docx document (A4 portrait)."""
    doc = dc.new_document()
    dc.title(doc, notice.organisation)
    dc.title(doc, "“信用交通县”创建工作督办通知")
    dc.paragraph(doc, "〔　　〕第　　号", indent=False, align="right")
    dc.paragraph(doc, f"{notice.department}：", indent=False, align="left")
    overdue = sum(1 for i in notice.items if i.status is TaskStatus.OVERDUE)
    soon = len(notice.items) - overdue
    tasks = sum(1 for i in notice.items if not i.scored)
    dc.paragraph(
        doc,
        f"截至 {_cn_date(notice.as_of)}，你单位承担的以下 {len(notice.items)} 项创建任务"
        f"已逾期（{overdue} 项）或即将到期（{soon} 项），请抓紧落实，"
        "于　　月　　日前将佐证材料报送法规科（信用工作办公室）。"
        + (f"其中重点任务 {tasks} 项，不计分，但须按期完成。" if tasks else ""),
    )
    dc.table(
        doc,
        ["序号", "指标", "任务", "时间节点", "分值", "尚缺"],
        [
            [
                str(n),
                i.shown_code,
                i.task,
                f"{i.due.month} 月 {i.due.day} 日\n{i.status.value}",
                fmt(i.at_stake) if i.scored else ktd.NO_POINTS,
                i.missing,
            ]
            for n, i in enumerate(notice.items, start=1)
        ],
        WIDTHS_CM,
        size=dc.SIZES["四号"],
    )
    dc.paragraph(doc)
    if notice.lost:
        dc.paragraph(doc, f"已失分事项（{len(notice.lost)} 项，分数已无法取得）：", bold=True)
        for n, lost in enumerate(notice.lost, start=1):
            dc.paragraph(
                doc, f"{n}. {lost.shown_code} {lost.label}：失 {fmt(lost.lost)} 分。{lost.why}"
            )
    else:
        dc.paragraph(doc, "已失分事项：无。")
    dc.paragraph(doc)
    dc.paragraph(doc, SIGNER, indent=False, align="right")
    dc.paragraph(doc, _cn_date(notice.as_of), indent=False, align="right")
    return doc


def notice_file_name(department: str) -> str:
    """``督办通知-客运科.docx``."""
    return f"督办通知-{department}.docx"


def export_notice(store: Store | Scored, department: str, out: Path, *, as_of: date) -> Notice:
    """Write one department's notice to ``out`` (.docx); refuses when it has nothing due."""
    from credit_tui.interchange.evidence_format import InterchangeError

    out = Path(out)
    dc.check_suffix(out, (".docx",), "督办通知")
    notice = gather(store, department, as_of=as_of)
    if not notice.items:
        raise InterchangeError(
            [f"{department}截至 {_cn_date(notice.as_of)}没有已逾期或即将到期的任务，无需督办"]
        )
    dc.save(build(notice), out)
    return notice


def export_all_notices(store: Store | Scored, folder: Path, *, as_of: date) -> list[Path]:
    """One notice per department that has any overdue or due-soon task, into ``folder``."""
    from credit_tui.interchange.evidence_format import InterchangeError

    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InterchangeError([f"{folder}：已存在同名文件，--all 应指定一个文件夹"])
    done = scored(store, as_of=as_of)
    catalog, report = done.catalog, done.report
    occs = occurrences(catalog, report)
    tasks = ktd.checks(catalog, done.year, done.records, report.as_of)
    written = []
    for dept in catalog.departments:
        notice = notice_for(catalog, report, occs, dept, done.store, tasks)
        if notice.items:
            out = folder / notice_file_name(dept)
            dc.save(build(notice), out)
            written.append(out)
    return written
