"""会议报告 (.docx): the meeting report of ``meeting.py`` as a Word document — the same
figures and tables as the HTML one, the month-end trend as a table with a bar per month.
"""

from __future__ import annotations

from pathlib import Path

from credit_tui.reports import docx_common as dc
from credit_tui.reports import key_task_docs as ktd
from credit_tui.reports.meeting_data import (
    LOAD_HEADER,
    OCC_HEADER,
    PROJECTION_NOTE,
    Meeting,
    load_cells,
    occurrence_cells,
    score_header,
    score_rows,
    totals,
)
from credit_tui.reports.text import lost_reasons
from credit_tui.scoring.points import fmt

BAR_CELLS = 20
"""The longest trend bar, in characters."""
OCC_WIDTHS = (2.2, 1.6, 4.6, 3.6, 2.2, 1.4)
LOAD_WIDTHS = (5.6, 2.5, 2.5, 2.5, 2.5)
KEY_TASK_WIDTHS = (2.2, 6.4, 3.6, 2.0, 1.4)


def write_meeting_docx(meeting: Meeting, out: Path) -> None:
    """Write the report to ``out`` (.docx)."""
    dc.save(build(meeting), Path(out))


def build(m: Meeting):
    """The report as a python-docx document."""
    catalog = m.catalog
    doc = dc.new_document()
    dc.title(doc, m.title)
    dc.paragraph(doc, f"{m.subtitle} · 评分依据：{catalog.title}", indent=False, align="center")

    dc.heading(doc, "一、总体得分", 1)
    dc.paragraph(doc, "；".join(f"{name} {value} 分" for name, value in totals(m)) + "。")
    if m.projected is not None:
        dc.paragraph(doc, PROJECTION_NOTE, size=dc.SIZES["四号"])

    dc.heading(doc, "二、得分表", 1)
    header = ["类别 / 指标", *score_header(m)]
    label_cm = 15.6 - 1.9 * (len(header) - 1)
    dc.table(
        doc,
        header,
        [[label, *nums] for _, label, nums in score_rows(m)],
        (label_cm, *([1.9] * (len(header) - 1))),
        size=dc.SIZES["小四"],
    )

    dc.heading(doc, "三、得分趋势（各月月末）", 1)
    if m.trend:
        top = max([m.report.max, *(p.earned for p in m.trend)]) or 2
        dc.table(
            doc,
            ["月份", "得分", "趋势"],
            [
                [
                    f"{p.label}（{p.note}）",
                    fmt(p.earned),
                    "█" * round(BAR_CELLS * p.earned / top) or "·",
                ]
                for p in m.trend
            ],
            (3.6, 2.0, 10.0),
            size=dc.SIZES["小四"],
        )
    else:
        dc.paragraph(doc, "尚未进入考核年度，暂无数据。")

    dc.heading(doc, f"四、已失分（{len(m.lost)} 项）", 1)
    if m.lost:
        dc.table(
            doc,
            ["指标", "事项", "失分", "原因"],
            [
                [
                    catalog.display_code(c.indicator),
                    c.label,
                    f"-{fmt(c.lost)}",
                    "；".join(lost_reasons(c)),
                ]
                for c in m.lost
            ],
            (1.8, 4.4, 1.6, 7.8),
            size=dc.SIZES["小四"],
        )
    else:
        dc.paragraph(doc, "无。")

    for heading, occs in (
        (f"五、已逾期（{len(m.overdue)} 项）", m.overdue),
        (f"六、{m.soon_days} 天内到期（{len(m.upcoming)} 项）", m.upcoming),
    ):
        dc.heading(doc, heading, 1)
        if occs:
            dc.table(
                doc,
                OCC_HEADER,
                [occurrence_cells(catalog, o) for o in occs],
                OCC_WIDTHS,
                size=dc.SIZES["小四"],
            )
        else:
            dc.paragraph(doc, "无。")

    numbers = iter("七八九")
    if m.key_tasks:
        dc.heading(doc, f"{next(numbers)}、{ktd.heading(m.key_tasks)}", 1)
        dc.table(doc, ktd.HEADER, [ktd.row_cells(o) for o in m.key_tasks], KEY_TASK_WIDTHS,
                 size=dc.SIZES["小四"])  # fmt: skip
        dc.paragraph(doc, ktd.NOTE, size=dc.SIZES["四号"])
    dc.heading(doc, f"{next(numbers)}、各责任单位任务情况", 1)
    dc.table(doc, LOAD_HEADER, [load_cells(d) for d in m.loads], LOAD_WIDTHS, size=dc.SIZES["小四"])
    dc.paragraph(
        doc,
        "时间节点：该单位共同负责的时间节点数；待办：尚未完成且未失分；"
        "逾期：已过时间节点仍未完成；失分：分数已无法取得。",
        size=dc.SIZES["四号"],
    )
    warnings = m.report.all_warnings()
    if warnings:
        dc.heading(doc, f"{next(numbers)}、提示", 1)
        for w in warnings:
            dc.paragraph(doc, w, size=dc.SIZES["四号"])
    return doc
