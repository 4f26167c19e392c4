"""Plain-text views of a score for the command line (fit 80 columns, no textual)."""

from __future__ import annotations

import re
from datetime import timedelta
from unicodedata import east_asian_width

from credit_tui.reports.label import with_label
from credit_tui.scoring.calendar import (
    Occurrence,
    TaskStatus,
    between,
    department_loads,
    with_status,
)
from credit_tui.scoring.catalog import Catalog
from credit_tui.scoring.dates import fmt_md
from credit_tui.scoring.points import Halves, fmt
from credit_tui.scoring.report import ComponentScore, ScoreReport

SHORT_CHANNELS = {
    "gov_site": "政府网站",
    "credit_site": "信用交通·山东",
    "media": "新闻媒体",
    "internal": "内部",
    "other": "其他",
}
"""Channel names short enough for a table column."""


_CJK_SPACE = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])\s+|\s+(?=[\u3000-\u9fff\uff00-\uffef])")


def cjk_paragraph(text: str) -> str:
    """Chinese prose without the spaces around numbers ("得 2 分" → "得2分").

    A terminal wraps text at spaces; without them, Chinese wraps by character
    as it should, instead of leaving "2" alone at the end of a line.
    """
    return _CJK_SPACE.sub("", text)


def width(text: str) -> int:
    """Terminal cells the text takes (CJK characters take two)."""
    return sum(2 if east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, cells: int) -> str:
    """Left-align ``text`` in ``cells`` terminal cells."""
    return text + " " * max(0, cells - width(text))


def rpad(text: str, cells: int) -> str:
    """Right-align ``text`` in ``cells`` terminal cells."""
    return " " * max(0, cells - width(text)) + text


def bar(earned: Halves, lost: Halves, maximum: Halves, cells: int = 13) -> str:
    """``█`` earned, ``░`` still open, ``×`` lost, scaled to ``cells``."""
    if maximum <= 0:
        return " " * cells
    got = round(cells * earned / maximum)
    gone = min(cells - got, round(cells * lost / maximum))
    return "█" * got + "░" * (cells - got - gone) + "×" * gone


def score_table(catalog: Catalog, report: ScoreReport) -> str:
    """The score by category and indicator, as the table prints it."""
    head = "预计（计划按期完成）" if report.projected else "截至"
    lines = [
        with_label(
            f"{catalog.organisation} · {report.year} 年度 · {head} {report.as_of.isoformat()}",
            catalog,
            report.year,
        ),
        f"总分 {fmt(report.earned)} / {fmt(report.max)} · 已得 {fmt(report.earned)} · "
        f"已失 {fmt(report.lost)} · 可达 {fmt(report.potential)}",
        "",
        pad("指标", 44) + rpad("得分", 7) + rpad("已失", 6) + rpad("可达", 6) + rpad("满分", 6),
    ]
    for cat in report.categories:
        lines.append(
            pad(cat.title, 44)
            + rpad(fmt(cat.earned), 7)
            + rpad(fmt(cat.lost), 6)
            + rpad(fmt(cat.potential), 6)
            + rpad(fmt(cat.max), 6)
        )
        for ind in report.indicators:
            if ind.category_code != cat.code:
                continue
            label = f"  {catalog.display_code(ind.code)} {ind.name}"
            if width(label) > 43:
                while width(label + "…") > 43:
                    label = label[:-1]
                label += "…"
            lines.append(
                pad(label, 44)
                + rpad(fmt(ind.earned), 7)
                + rpad(fmt(ind.lost), 6)
                + rpad(fmt(ind.potential), 6)
                + rpad(fmt(ind.max), 6)
            )
    warnings = report.all_warnings()
    if warnings:
        lines += ["", "提示："] + [f"  - {w}" for w in warnings]
    return "\n".join(lines)


def clip(text: str, cells: int) -> str:
    """``text`` cut to ``cells`` terminal cells with an ellipsis."""
    if width(text) <= cells:
        return text
    while width(text + "…") > cells:
        text = text[:-1]
    return text + "…"


def lost_reasons(comp: ComponentScore) -> list[str]:
    """The reasons that explain lost points (those naming a shortfall), else all."""
    hits = [r for r in comp.reasons if any(w in r for w in ("失", "少", "缺", "不得分"))]
    return hits or list(comp.reasons)


def occurrence_line(catalog: Catalog, occ: Occurrence, cells: int = 78) -> str:
    """``07-31 七、1 “信易+”政策文件  已逾期  客运科 等  10 分`` in ``cells`` cells."""
    spec = occ.spec
    comp = catalog.by_code[spec.indicator].component(spec.component)
    what = comp.label + (f"（{spec.label}）" if spec.label else "")
    what += f"：{occ.missing}" if occ.missing else ""
    depts = spec.departments[0] + (" 等" if len(spec.departments) > 1 else "")
    tail = f"{pad(occ.status.value, 8)} {pad(depts, 16)} {rpad(fmt(occ.at_stake), 4)} 分"
    head = f"{fmt_md(spec.due)} {catalog.display_code(spec.indicator)} "
    room = cells - width(head) - width(tail) - 1
    return head + pad(clip(what, room), room) + " " + tail


def status_view(
    catalog: Catalog,
    report: ScoreReport,
    occs: list[Occurrence],
    *,
    projected: ScoreReport | None = None,
    soon_days: int = 14,
    proof_gaps: int = 0,
) -> str:
    """The meeting view in text: total, categories, lost, overdue, upcoming, departments;
    ``proof_gaps`` counted records without attachment or link (缺佐证材料), when any."""
    as_of = report.as_of
    lines = [
        with_label(
            f"{catalog.organisation} · {report.year} 年度 · 截至 {as_of.isoformat()}",
            catalog,
            report.year,
        ),
        f"总分 {fmt(report.earned)} / {fmt(report.max)}    已得 {fmt(report.earned)} · "
        f"已失 {fmt(report.lost)} · 可达 {fmt(report.potential)}"
        + (f" · 预计（含计划）{fmt(projected.earned)}" if projected else ""),
        "",
    ]
    for cat in report.categories:
        lost = f"失 {fmt(cat.lost)}" if cat.lost else ""
        lines.append(
            f"{pad(cat.title, 14)} {bar(cat.earned, cat.lost, cat.max, 20)} "
            f"{rpad(fmt(cat.earned), 4)} / {pad(fmt(cat.max), 3)} {lost}"
        )
    if proof_gaps:
        lines += [
            "",
            f"缺佐证材料 {proof_gaps} 条（计入得分，但既无附件也无链接；证据列表按 g 筛选）",
        ]
    lost_lines = [
        f"  {catalog.display_code(c.indicator)} {pad(clip(c.label, 22), 22)} "
        f"{rpad('-' + fmt(c.lost), 5)}  {clip('；'.join(lost_reasons(c)), 38)}"
        for ind in report.indicators
        for c in ind.components
        if c.lost
    ]
    if lost_lines:
        lines += ["", f"已失分（{len(lost_lines)} 项）", *lost_lines]
    overdue = with_status(occs, TaskStatus.OVERDUE)
    lines += ["", f"已逾期（{len(overdue)} 项）"]
    lines += [f"  {occurrence_line(catalog, o, 76)}" for o in overdue] or ["  无"]
    upcoming = [o for o in between(occs, as_of, as_of + timedelta(days=soon_days)) if o.open]
    lines += ["", f"{soon_days} 天内到期（{len(upcoming)} 项）"]
    lines += [f"  {occurrence_line(catalog, o, 76)}" for o in upcoming] or ["  无"]
    loads = sorted(
        (d for d in department_loads(occs, catalog.departments) if d.open or d.lost),
        key=lambda d: (-d.overdue, -d.lost, -d.open, catalog.departments.index(d.department)),
    )[:5]
    if loads:
        lines += ["", "待办最多的单位"]
        lines += [
            f"  {pad(d.department, 22)} 待办 {rpad(str(d.open), 2)} · "
            f"逾期 {rpad(str(d.overdue), 2)} · 失分 {rpad(str(d.lost), 2)}"
            for d in loads
        ]
    warnings = report.all_warnings()
    if warnings:
        lines += ["", "提示"] + [f"  - {clip(w, 76)}" for w in warnings]
    return "\n".join(lines)


def deadlines_view(catalog: Catalog, occs: list[Occurrence]) -> str:
    """Occurrences one a line, for ``credit-tui deadlines``."""
    if not occs:
        return "（没有符合条件的时间节点）"
    return "\n".join(occurrence_line(catalog, o) for o in occs)
