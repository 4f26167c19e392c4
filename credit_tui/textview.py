"""Plain-text views of a score for the command line (fit 80 columns, no textual)."""

from __future__ import annotations

from unicodedata import east_asian_width

from .scoring.catalog import Catalog
from .scoring.points import Halves, fmt
from .scoring.report import ScoreReport


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
        f"{catalog.organisation} · {report.year} 年度 · {head} {report.as_of.isoformat()}",
        f"总分 {fmt(report.earned)} / {fmt(report.max)} · 已得 {fmt(report.earned)} · "
        f"已失 {fmt(report.lost)} · 可达 {fmt(report.potential)}",
        "",
        pad("指标", 44) + rpad("得分", 7) + rpad("已失", 6) + rpad("可达", 6) + rpad("满分", 6),
    ]
    for cat in report.categories:
        lines.append(
            pad(cat.title, 44) + rpad(fmt(cat.earned), 7) + rpad(fmt(cat.lost), 6)
            + rpad(fmt(cat.potential), 6) + rpad(fmt(cat.max), 6)
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
                pad(label, 44) + rpad(fmt(ind.earned), 7) + rpad(fmt(ind.lost), 6)
                + rpad(fmt(ind.potential), 6) + rpad(fmt(ind.max), 6)
            )
    warnings = report.all_warnings()
    if warnings:
        lines += ["", "提示："] + [f"  - {w}" for w in warnings]
    return "\n".join(lines)
