"""The meeting report in Markdown: the same numbers as the HTML one, the trend as a text table."""

from __future__ import annotations

from collections.abc import Collection

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

_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|#"})


def md(text: str) -> str:
    """Text safe inside a Markdown paragraph or table cell."""
    return " ".join(text.split()).translate(_MD_SPECIAL)


def _md_table(header: list[str], rows: list[list[str]], numeric: Collection[int] = ()) -> list[str]:
    align = ["---:" if i in numeric else "---" for i in range(len(header))]
    out = ["| " + " | ".join(md(h) for h in header) + " |", "| " + " | ".join(align) + " |"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return out


def render_markdown(m: Meeting) -> str:
    """The report in Markdown: the same numbers, the trend as a text table."""
    catalog = m.catalog
    lines = [f"# {md(m.title)}", "", f"{md(m.subtitle)} · 评分依据：{md(catalog.title)}", ""]
    lines += ["## 总体得分", ""]
    lines += [f"- {md(name)}：**{md(value)}**" for name, value in totals(m)]
    if m.projected is not None:
        lines += ["", PROJECTION_NOTE]
    lines += ["", "## 得分表", ""]
    header = ["类别 / 指标", *score_header(m)]
    rows = []
    for is_cat, label, nums in score_rows(m):
        if is_cat:
            rows.append([f"**{md(label)}**", *(f"**{md(n)}**" for n in nums)])
        else:
            rows.append([md(label), *(md(n) for n in nums)])
    lines += _md_table(header, rows, set(range(1, len(header))))

    lines += ["", "## 得分趋势（各月月末）", ""]
    if m.trend:
        top = max([m.report.max, *(p.earned for p in m.trend)]) or 2
        lines += _md_table(
            ["月份", "得分", "趋势"],
            [
                [
                    md(f"{p.label}（{p.note}）"),
                    md(fmt(p.earned)),
                    "█" * round(20 * p.earned / top) or "·",
                ]
                for p in m.trend
            ],
            {1},
        )
    else:
        lines.append("尚未进入考核年度，暂无数据。")

    lines += ["", f"## 已失分（{len(m.lost)} 项）", ""]
    if m.lost:
        lines += _md_table(
            ["指标", "事项", "失分", "原因"],
            [
                [
                    md(catalog.display_code(c.indicator)),
                    md(c.label),
                    md(f"-{fmt(c.lost)}"),
                    md("；".join(lost_reasons(c))),
                ]
                for c in m.lost
            ],
            {2},
        )
    else:
        lines.append("无")

    for heading, occs in (
        (f"已逾期（{len(m.overdue)} 项）", m.overdue),
        (f"{m.soon_days} 天内到期（{len(m.upcoming)} 项）", m.upcoming),
    ):
        lines += ["", f"## {md(heading)}", ""]
        if occs:
            lines += _md_table(
                OCC_HEADER,
                [[md(t) for t in occurrence_cells(catalog, o)] for o in occs],
                {5},
            )
        else:
            lines.append("无")

    if m.key_tasks:
        lines += ["", f"## {md(ktd.heading(m.key_tasks))}", ""]
        lines += _md_table(ktd.HEADER, [[md(t) for t in ktd.row_cells(o)] for o in m.key_tasks])
        lines += ["", ktd.NOTE]

    lines += ["", "## 各责任单位任务情况", ""]
    lines += _md_table(LOAD_HEADER, [[md(t) for t in load_cells(d)] for d in m.loads], {1, 2, 3, 4})
    lines += [
        "",
        "时间节点：该单位共同负责的时间节点数；待办：尚未完成且未失分；"
        "逾期：已过时间节点仍未完成；失分：分数已无法取得。",
    ]
    warnings = m.report.all_warnings()
    if warnings:
        lines += ["", "## 提示", ""]
        lines += [f"- {md(w)}" for w in warnings]
    lines += ["", "---", "", "由 信用交通县创建工作台 生成。", ""]
    return "\n".join(lines)
