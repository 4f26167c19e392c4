"""自评表: every indicator with its criteria, points, self-assessed score, the reasons for
what it did not earn and the evidence behind it; a subtotal per category and the total.

Values, not formulas: every number is written exactly (half points as 0.5 steps),
so the sheet reads the same in any spreadsheet program and on paper.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from credit_tui.interchange.evidence import InterchangeError
from credit_tui.interchange.sheets import (
    print_setup,
    table_styles,
    title_and_header,
    write_atomically,
)
from credit_tui.interchange.sheets import safe as _safe
from credit_tui.reports.label import with_label
from credit_tui.reports.proof import GAP_LABEL, gap_ids
from credit_tui.reports.text import lost_reasons
from credit_tui.scoring.engine import score
from credit_tui.scoring.evidence import Evidence
from credit_tui.scoring.points import Halves, as_number, fmt
from credit_tui.scoring.report import ComponentScore, IndicatorScore, ScoreReport

if TYPE_CHECKING:
    from credit_tui.scoring.catalog import Catalog
    from credit_tui.store.database import AttachmentRef, Store

HEADER = ("指标", "评估标准", "满分", "自评得分", "扣分说明", "佐证材料")
WIDTHS = (18, 34, 6, 7, 24, 29)
NUMBER_COLUMNS = (3, 4)


@dataclass(frozen=True, slots=True)
class SheetRow:
    """One line of the table: an indicator, a category subtotal or the total."""

    kind: str
    """``indicator``, ``subtotal`` or ``total``."""
    label: str
    criteria: str
    max: Halves
    earned: Halves
    deductions: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()

    def cells(self) -> list[object]:
        """The row's cells, numbers as exact numbers."""
        return [
            self.label,
            self.criteria,
            as_number(self.max),
            as_number(self.earned),
            "\n".join(self.deductions),
            "\n".join(self.evidence),
        ]


def build_rows(store: Store, report: ScoreReport) -> list[SheetRow]:
    """The table's rows in catalog order: indicators, each category's subtotal, the total."""
    catalog: Catalog = store.catalog
    records = {r.id: r for r in store.records()}
    names = store.attachment_names()
    gaps = gap_ids(report, records)
    rows: list[SheetRow] = []
    for cat in report.categories:
        for ind in report.indicators:
            if ind.category_code != cat.code:
                continue
            rows.append(
                SheetRow(
                    "indicator",
                    f"{catalog.display_code(ind.code)} {ind.name}",
                    catalog.by_code[ind.code].criteria,
                    ind.max,
                    ind.earned,
                    tuple(deductions(ind)),
                    tuple(evidence_lines(ind, records, names, gaps, summary=True)),
                )
            )
        rows.append(SheetRow("subtotal", f"{cat.title} 小计", "", cat.max, cat.earned))
    rows.append(SheetRow("total", "合计", "", report.max, report.earned))
    return rows


def deductions(ind: IndicatorScore) -> list[str]:
    """One line per component short of full points: what it lost and why."""
    lines = []
    for comp in ind.components:
        if comp.earned >= comp.max:
            continue
        lines.append(_deduction(comp))
    return lines


def _deduction(comp: ComponentScore) -> str:
    short = comp.max - comp.earned
    why = "；".join(lost_reasons(comp))
    still = f"，年内尚可得 {fmt(comp.open)} 分" if comp.open > 0 else ""
    head = f"{comp.label}：扣 {fmt(short)} 分（已失 {fmt(comp.lost)} 分{still}）"
    return f"{head}。{why}" if why else head


def evidence_lines(
    ind: IndicatorScore,
    records: Mapping[str, Evidence],
    names: Mapping[str, Sequence[AttachmentRef]],
    gaps: Set[str] = frozenset(),
    *,
    summary: bool = False,
) -> list[str]:
    """``"2024-04-18 标题（附件：a、b）（链接：…）"`` for every record in view, by date; a
    counted record in ``gaps`` marked 缺佐证材料, with ``summary`` their count first."""
    counted = {rid for comp in ind.components for rid in comp.counted_ids}
    seen = [records[rid] for comp in ind.components for rid in comp.record_ids if rid in records]
    lines = []
    missing = 0
    for rec in sorted(seen, key=lambda r: (r.date, r.id)):
        files = "、".join(ref.name for ref in names.get(rec.id, ()))
        line = f"{rec.date.isoformat()} {rec.title}"
        if files:
            line += f"（附件：{files}）"
        if rec.url.strip():
            line += f"（链接：{rec.url.strip()}）"
        if rec.id not in counted:
            line += "（不计分）"
        elif rec.id in gaps:
            line += f"（{GAP_LABEL}）"
            missing += 1
        lines.append(line)
    if summary and missing:
        lines.insert(0, f"【{GAP_LABEL} {missing} 条】")
    return lines


def export_self_assessment(store: Store, out: Path, *, as_of: date) -> None:
    """Write the self-assessment as of ``as_of`` to ``out``: the table (.xlsx) or the report
    (.docx, ``self_assessment_docx``)."""
    out = Path(out)
    if out.suffix.lower() == ".docx":
        from credit_tui.reports.self_assessment_docx import export_self_assessment_docx

        export_self_assessment_docx(store, out, as_of=as_of)
        return
    if out.suffix.lower() != ".xlsx":
        raise InterchangeError(
            [f"{out}：不支持的文件类型“{out.suffix}”，自评表应为 .xlsx，自评报告应为 .docx"]
        )
    year = store.campaign.year
    report = score(store.catalog, store.records(), year=year, as_of=as_of)
    rows = build_rows(store, report)
    organisation = store.campaign.organisation or store.catalog.organisation
    title = with_label(
        f"{organisation}“信用交通县”创建自评表　截至 {report.as_of.isoformat()}",
        store.catalog,
        year,
    )
    write_atomically(out, lambda tmp: _write_xlsx(tmp, title, rows))


def _write_xlsx(path: Path, title: str, rows: list[SheetRow]) -> None:
    from openpyxl import Workbook

    st = table_styles()
    book = Workbook()
    sheet = book.active
    sheet.title = "自评表"
    title_and_header(sheet, title, HEADER, st)
    for r, row in enumerate(rows, start=3):
        summary = row.kind != "indicator"
        for col, value in enumerate(row.cells(), start=1):
            cell = sheet.cell(row=r, column=col, value=_safe(value))
            cell.border = st["border"]
            cell.alignment = st["center"] if col in NUMBER_COLUMNS else st["wrap"]
            if summary:
                cell.font = st["bold"]
                cell.fill = st["sum_fill"]
    print_setup(sheet, header_row=2, widths=WIDTHS)
    book.save(path)
