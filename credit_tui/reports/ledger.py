"""月度工作台账: one month's work, component by component, ready to print on A4 landscape.

A row per component that had a deadline in the month or any evidence dated in it:
序号, 指标, 工作事项, 责任单位, 时间节点, 本月进展 (the month's records, dated),
得分/满分, 状态, 备注. Written as .xlsx (print-ready), .csv (UTF-8 with BOM, so
Excel opens it) or .md. ``ledger_record`` is the record that files the exported ledger
as the month's 1.2 月度台账 evidence (written by ``service.writes.record_ledger``).

The helpers ``write_atomically`` and ``print_setup`` are shared with the other
spreadsheet reports of this package (the self-assessment table).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from credit_tui.interchange.evidence_format import InterchangeError
from credit_tui.interchange.sheets import (
    print_setup,
    table_styles,
    title_and_header,
    write_atomically,
)
from credit_tui.interchange.sheets import safe as _safe
from credit_tui.reports.scored import Scored, scored
from credit_tui.reports.text import lost_reasons
from credit_tui.scoring.calendar import Occurrence, TaskStatus, next_due, occurrences
from credit_tui.scoring.catalog import Catalog, Component, Indicator
from credit_tui.scoring.dates import month_end
from credit_tui.scoring.evidence import Evidence, make_evidence
from credit_tui.scoring.points import fmt
from credit_tui.scoring.report import ComponentScore

if TYPE_CHECKING:
    from credit_tui.store.database import AttachmentRef, Store

LEDGER_SUFFIXES = (".xlsx", ".csv", ".md")
HEADER = (
    "序号", "指标", "工作事项", "责任单位", "时间节点", "本月进展", "得分/满分", "状态", "备注",
)  # fmt: skip
WIDTHS = (5, 14, 12, 12, 11, 30, 8, 7, 19)
"""Column widths in characters (A4 landscape, fitted to the page width)."""
LEDGER_INDICATOR = "1.2"
LEDGER_COMPONENT = "monthly"
LEDGER_DEPARTMENT = "法规科"
_SHORTFALL = ("失", "少", "缺", "不得分", "不计分", "尚无", "未")
"""Words of a reason that names what is still missing."""


@dataclass(frozen=True, slots=True)
class LedgerRow:
    """One component's line in the month's ledger."""

    number: int
    indicator: str
    task: str
    departments: str
    deadline: str
    progress: tuple[str, ...]
    points: str
    status: str
    remarks: tuple[str, ...]

    def cells(self, joiner: str = "\n") -> list[object]:
        """The row's cells; multi-line cells joined by ``joiner``."""
        return [
            self.number,
            self.indicator,
            self.task,
            self.departments,
            self.deadline,
            joiner.join(self.progress),
            self.points,
            self.status,
            joiner.join(self.remarks),
        ]


@dataclass(frozen=True, slots=True)
class Ledger:
    """The whole month's ledger."""

    organisation: str
    month: date
    today: date
    as_of: date
    rows: tuple[LedgerRow, ...]

    @property
    def month_text(self) -> str:
        """``"2024 年 5 月"``."""
        return f"{self.month.year} 年 {self.month.month} 月"

    @property
    def title(self) -> str:
        """The heading of the sheet."""
        return "信用交通县创建月度工作台账"

    @property
    def title_parts(self) -> tuple[str, str, str]:
        """单位, 年月 and 制表日期, each with its label."""
        return (
            f"单位：{self.organisation}",
            f"年月：{self.month_text}",
            f"制表日期：{self.today.isoformat()}",
        )

    @property
    def title_line(self) -> str:
        """The title row as one line of text."""
        return "　".join((self.title, *self.title_parts))


# --- building -------------------------------------------------------------------------


def build_ledger(store: Store | Scored, month: date, *, today: date) -> Ledger:
    """The ledger of ``month`` (its 1st day), scored as of min(month end, today)."""
    month = month.replace(day=1)
    end = month_end(month.year, month.month)
    as_of = min(end, today)
    base = scored(store, as_of=as_of)
    _check_month(month, base.year)
    catalog, records, report = base.catalog, base.records, base.report
    occs = occurrences(catalog, report)

    in_month = [r for r in records if month <= r.date <= end]
    done = [r for r in in_month if not r.planned and r.date <= as_of]
    planned = [r for r in in_month if r.planned]
    rows: list[LedgerRow] = []
    for ind in catalog.indicators:
        for comp in ind.components:
            mine = [
                o for o in occs if o.spec.indicator == ind.code and o.spec.component == comp.key
            ]
            due_here = [o for o in mine if month <= o.due <= end]
            worked = _of(done, ind, comp)
            if not due_here and not worked:
                continue
            comp_score = report.component(ind.code, comp.key)
            occ = _month_occurrence(mine, due_here, month, end)
            rows.append(
                LedgerRow(
                    number=len(rows) + 1,
                    indicator=f"{catalog.display_code(ind.code)} {ind.name}",
                    task=comp.label,
                    departments="、".join(comp.departments),
                    deadline=_deadline(comp, occ),
                    progress=tuple(_progress(worked, comp_score)),
                    points=f"{fmt(comp_score.earned)}/{fmt(comp_score.max)}",
                    status=occ.status.value if occ is not None else "—",
                    remarks=tuple(_remarks(comp_score, occ, _of(planned, ind, comp))),
                )
            )
    organisation = base.organisation or catalog.organisation
    return Ledger(organisation, month, today, as_of, tuple(rows))


def _check_month(month: date, year: int) -> None:
    if month.year != year:
        raise InterchangeError(
            [f"{month.year} 年 {month.month} 月不在本数据库的 {year} 年度内，应为 {year} 年的月份"]
        )


def _of(records: Sequence[Evidence], ind: Indicator, comp: Component) -> list[Evidence]:
    return sorted(
        (r for r in records if r.indicator == ind.code and r.component == comp.key),
        key=lambda r: (r.date, r.id),
    )


def _month_occurrence(
    mine: list[Occurrence], due_here: list[Occurrence], start: date, end: date
) -> Occurrence | None:
    """The occurrence the month is about.

    One due in the month (a firm deadline before a suggested date); else the
    earliest whose period covers the month; else the component's next open
    one; else its last.
    """
    firm = [o for o in due_here if o.spec.kind != "suggested"]
    if firm or due_here:
        return (firm or due_here)[0]
    covering = [
        o for o in mine if o.spec.kind != "suggested" and o.spec.start <= end and o.due >= start
    ]
    if covering:
        return covering[0]
    if mine:
        ind, comp = mine[0].spec.indicator, mine[0].spec.component
        return next_due(mine, ind, comp) or mine[-1]
    return None


def _deadline(comp: Component, occ: Occurrence | None) -> str:
    lines = []
    if occ is not None:
        label = f"（{occ.spec.label}）" if occ.spec.label else ""
        lines.append(f"{occ.due:%m-%d}{label}")
    lines.append(comp.schedule.text)
    return "\n".join(lines)


def _progress(worked: list[Evidence], comp_score: ComponentScore) -> list[str]:
    counted = set(comp_score.counted_ids)
    lines = []
    for rec in worked:
        mark = "" if rec.id in counted else "（不计分）"
        lines.append(f"{rec.date:%m-%d} {rec.title}{mark}")
    return lines


def _remarks(
    comp_score: ComponentScore, occ: Occurrence | None, planned: list[Evidence]
) -> list[str]:
    lines = []
    if comp_score.lost > 0:
        reasons = "；".join(lost_reasons(comp_score))
        lines.append(f"已失 {fmt(comp_score.lost)} 分：{reasons}")
    elif occ is not None and occ.open and occ.at_stake > 0:
        lines.append(f"尚差 {fmt(occ.at_stake)} 分")
        if occ.status in (TaskStatus.OVERDUE, TaskStatus.DUE_SOON):
            lines += [r for r in comp_score.reasons if any(w in r for w in _SHORTFALL)]
    lines += [f"计划：{r.date:%m-%d} {r.title}" for r in planned]
    return lines


# --- writing --------------------------------------------------------------------------


def export_ledger(store: Store | Scored, month: date, out: Path, *, today: date) -> int:
    """Write the month's ledger to ``out`` (.xlsx, .csv or .md); returns the number of rows."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in LEDGER_SUFFIXES:
        raise InterchangeError(
            [f"{out}：不支持的文件类型“{out.suffix}”，月度台账应为 .xlsx、.csv 或 .md"]
        )
    ledger = build_ledger(store, month, today=today)
    writer = {".xlsx": _write_xlsx, ".csv": _write_csv, ".md": _write_md}[suffix]
    write_atomically(out, lambda tmp: writer(tmp, ledger))
    return len(ledger.rows)


def _write_csv(path: Path, ledger: Ledger) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([_safe(v) for v in (ledger.title, *ledger.title_parts)])
        writer.writerow(HEADER)
        for row in ledger.rows:
            writer.writerow([_safe(v) for v in row.cells()])


def _md_cell(value: object) -> str:
    text = str(value).replace("\\", "\\\\").replace("|", "\\|")
    return text.replace("\r\n", "\n").replace("\n", "<br>")


def _write_md(path: Path, ledger: Ledger) -> None:
    lines = [
        f"# {ledger.organisation}{ledger.title}（{ledger.month_text}）",
        "",
        "　".join(ledger.title_parts),
        "",
        "| " + " | ".join(HEADER) + " |",
        "|" + "|".join("---" for _ in HEADER) + "|",
    ]
    for row in ledger.rows:
        lines.append("| " + " | ".join(_md_cell(v) for v in row.cells()) + " |")
    if not ledger.rows:
        lines.append("")
        lines.append("（本月没有到期或开展的工作事项）")
    lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")


def _write_xlsx(path: Path, ledger: Ledger) -> None:
    from openpyxl import Workbook

    st = table_styles()
    book = Workbook()
    sheet = book.active
    sheet.title = f"{ledger.month.month} 月台账"
    title_and_header(sheet, ledger.title_line, HEADER, st)
    centred = {1, 7, 8}
    for r, row in enumerate(ledger.rows, start=3):
        for col, value in enumerate(row.cells(), start=1):
            cell = sheet.cell(row=r, column=col, value=_safe(value))
            cell.border = st["border"]
            cell.alignment = st["center"] if col in centred else st["wrap"]
    print_setup(sheet, header_row=2, widths=WIDTHS)
    book.save(path)


# --- recording ------------------------------------------------------------------------


def ledger_record_id(month: date) -> str:
    """The stable id of a month's ledger record (recording again replaces it)."""
    return f"ledger-{month:%Y-%m}"


def ledger_day(month: date, year: int, *, today: date) -> date:
    """The date ``month``'s ledger is filed under: the month's end, or ``today`` within it.

    ``InterchangeError`` for a month outside ``year`` or not yet begun.
    """
    month = month.replace(day=1)
    _check_month(month, year)
    day = min(month_end(month.year, month.month), today)
    if day < month:
        raise InterchangeError(
            [f"{month.year} 年 {month.month} 月尚未开始，不能登记为一、2 月度台账材料"]
        )
    return day


def ledger_record(catalog: Catalog, month: date, ref: AttachmentRef, *, today: date) -> Evidence:
    """The month's 1.2 月度台账 record (``ledger_day`` checked it), attaching the stored ledger
    ``ref``; ``service.writes.record_ledger`` files it."""
    month = month.replace(day=1)
    department = LEDGER_DEPARTMENT if LEDGER_DEPARTMENT in catalog.departments else ""
    return make_evidence(
        catalog,
        {
            "id": ledger_record_id(month),
            "indicator": LEDGER_INDICATOR,
            "component": LEDGER_COMPONENT,
            "date": min(month_end(month.year, month.month), today),
            "department": department,
            "title": f"{month.year} 年 {month.month} 月创建工作台账",
            "kind": "data",
            "note": f"由月度工作台账导出（制表日期 {today.isoformat()}）",
        },
        attachments=(ref.sha256,),
    )
