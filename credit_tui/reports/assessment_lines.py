"""What the self-assessment says of one indicator, in the table (``self_assessment``) and in
the Word report (``self_assessment_docx``) alike: its deductions and its evidence lines."""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from typing import TYPE_CHECKING

from credit_tui.reports.proof import GAP_LABEL
from credit_tui.reports.text import lost_reasons
from credit_tui.scoring.points import fmt

if TYPE_CHECKING:
    from credit_tui.scoring.evidence import Evidence
    from credit_tui.scoring.report import ComponentScore, IndicatorScore
    from credit_tui.store.database import AttachmentRef


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
