"""自评表: every indicator with its criteria, points, self-assessed score, the reasons for
what it did not earn and the evidence behind it; a subtotal per category and the total.

Values, not formulas: every number is written exactly (half points as 0.5 steps),
so the sheet reads the same in any spreadsheet program and on paper.
"""

from __future__ import annotations

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
from credit_tui.reports.assessment_lines import deductions, evidence_lines
from credit_tui.reports.label import with_label
from credit_tui.reports.proof import gap_ids
from credit_tui.reports.scored import Scored, scored
from credit_tui.scoring.points import Halves, as_number

if TYPE_CHECKING:
    from credit_tui.store.database import Store

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


def build_rows(done: Scored) -> list[SheetRow]:
    """The table's rows in catalog order: indicators, each category's subtotal, the total."""
    catalog, report = done.catalog, done.report
    records = done.by_id()
    names = done.store.attachment_names()
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


def export_self_assessment(store: Store | Scored, out: Path, *, as_of: date) -> None:
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
    done = scored(store, as_of=as_of)
    rows = build_rows(done)
    organisation = done.organisation or done.catalog.organisation
    title = with_label(
        f"{organisation}“信用交通县”创建自评表　截至 {done.report.as_of.isoformat()}",
        done.catalog,
        done.year,
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
