"""自评报告 (.docx): the self-assessment as a Word document for the acceptance team.

Title with the organisation and year; 基本情况 (total, earned, lost, still attainable,
the as-of date, records and proof gaps); then one section per category with a table
per indicator: 评估标准, 自评得分, 扣分说明, 佐证材料 (file names and links),
缺佐证材料 where a counted record has neither, and the 评分口径 where one applies.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from credit_tui.reports import docx_common as dc
from credit_tui.reports.assessment_lines import deductions, evidence_lines
from credit_tui.reports.label import with_label
from credit_tui.reports.org_name import full_organisation
from credit_tui.reports.proof import GAP_LABEL, gap_ids, gaps_by_indicator
from credit_tui.reports.scored import Scored, scored
from credit_tui.scoring.points import fmt

if TYPE_CHECKING:
    from credit_tui.store.database import Store

LABEL_CM = 2.8
TEXT_CM = 12.8
"""The two columns of an indicator's table (15.6 cm between the margins)."""


def export_self_assessment_docx(store: Store | Scored, out: Path, *, as_of: date) -> None:
    """Write the self-assessment report as of ``as_of`` to ``out`` (.docx)."""
    out = Path(out)
    dc.check_suffix(out, (".docx",), "自评报告")
    doc = build(store, as_of=as_of)
    dc.save(doc, out)


def build(store: Store | Scored, *, as_of: date):
    """The report as a python-docx document."""
    done = scored(store, as_of=as_of)
    catalog, year, report = done.catalog, done.year, done.report
    by_id = done.by_id()
    names = done.store.attachment_names()
    gaps = gap_ids(report, by_id)
    gap_map = gaps_by_indicator(report, by_id)
    organisation = full_organisation(catalog, done.organisation)
    d = report.as_of

    doc = dc.new_document()
    dc.title(doc, f"{organisation}\n{year} 年度“信用交通县”创建工作自评报告")
    dated = f"（截至 {d.year} 年 {d.month} 月 {d.day} 日）"
    dc.paragraph(doc, with_label(dated, catalog, year), indent=False, align="center")
    dc.heading(doc, "基本情况", 1)
    counted = {rid for ind in report.indicators for c in ind.components for rid in c.counted_ids}
    dc.paragraph(
        doc,
        f"按照《{catalog.title}》，本次自评满分 {fmt(report.max)} 分。截至 {d.year} 年 "
        f"{d.month} 月 {d.day} 日，自评得分 {fmt(report.earned)} 分，已失分 "
        f"{fmt(report.lost)} 分，年内最高可达 {fmt(report.potential)} 分。",
    )
    dc.paragraph(
        doc,
        f"计入得分的佐证材料 {len(counted)} 条，其中{GAP_LABEL}（既无附件也无链接）"
        f"{len(gaps)} 条，涉及 {len(gap_map)} 项指标，须在验收前补齐。",
    )
    dc.table(
        doc,
        ["类别", "满分", "自评得分", "已失分"],
        [[cat.title, fmt(cat.max), fmt(cat.earned), fmt(cat.lost)] for cat in report.categories]
        + [["合计", fmt(report.max), fmt(report.earned), fmt(report.lost)]],
        (7.6, 2.6, 2.8, 2.6),
        size=dc.SIZES["四号"],
    )
    for cat in report.categories:
        dc.heading(
            doc,
            f"{cat.title}（满分 {fmt(cat.max)} 分，自评 {fmt(cat.earned)} 分）",
            1,
        )
        for ind in report.indicators:
            if ind.category_code != cat.code:
                continue
            spec = catalog.by_code[ind.code]
            dc.heading(doc, f"{catalog.display_code(ind.code)} {ind.name}", 3)
            rows = [
                ["评估标准", spec.criteria],
                ["自评得分", f"{fmt(ind.earned)} 分（满分 {fmt(ind.max)} 分）"],
                ["扣分说明", "\n".join(deductions(ind)) or "无"],
                ["佐证材料", "\n".join(evidence_lines(ind, by_id, names, gaps)) or "无"],
            ]
            if ind.code in gap_map:
                rows.append(
                    [
                        GAP_LABEL,
                        "\n".join(f"{r.date.isoformat()} {r.title}" for r in gap_map[ind.code]),
                    ]
                )
            if spec.interpretation:
                rows.append(["评分口径", spec.interpretation])
            dc.table(
                doc, None, rows, (LABEL_CM, TEXT_CM), size=dc.SIZES["小四"], bold_first_column=True
            )
    return doc
