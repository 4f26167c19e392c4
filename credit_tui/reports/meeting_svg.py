"""The meeting report's month-end trend as an inline SVG bar chart (no script)."""

from __future__ import annotations

from html import escape

from credit_tui.reports.meeting_data import Meeting
from credit_tui.scoring.points import fmt


def trend_svg(m: Meeting) -> str:
    """The month-end trend as an inline SVG bar chart with axis labels (no script)."""
    points = m.trend
    width, height = 680, 280
    left, right, top, bottom = 52, 16, 28, 52
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = max([m.report.max, *(p.earned for p in points)]) or 2
    parts = [
        f'<svg class="trend" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-label="{escape("月末得分趋势")}" '
        'font-family="inherit" font-size="12">',
        f"<title>{escape('月末得分趋势')}</title>",
    ]

    def y_of(halves: float) -> float:
        return top + plot_h - plot_h * halves / top_value

    ticks = 5
    for i in range(ticks + 1):
        value = top_value * i / ticks  # in halves
        y = y_of(value)
        label = f"{value / 2:.1f}".removesuffix(".0")
        parts.append(
            f'<line class="grid" x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
            'stroke="#dde3ea"/>'
        )
        parts.append(
            f'<text class="tick" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#666">'
            f"{escape(label)}</text>"
        )
    parts.append(
        f'<line class="axis" x1="{left}" y1="{top + plot_h}" x2="{width - right}" '
        f'y2="{top + plot_h}" stroke="#555"/>'
    )
    parts.append(
        f'<line class="axis" x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#555"/>'
    )
    parts.append(
        f'<text class="axis-title" x="{left - 40}" y="{top - 12}">{escape("得分（分）")}</text>'
    )
    parts.append(
        f'<text class="axis-title" x="{width - right}" y="{height - 6}" text-anchor="end">'
        f"{escape('月份')}</text>"
    )
    slots = 12
    slot = plot_w / slots
    for i, p in enumerate(points):
        x = left + i * slot + slot * 0.18
        w = slot * 0.64
        y = y_of(p.earned)
        h = top + plot_h - y
        what = f"{p.label}{p.note} {fmt(p.earned)} 分"
        cls, colour = ("bar partial", "#7fa3c8") if p.partial else ("bar", "#2f5d8c")
        parts.append(
            f'<rect class="{cls}" x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" '
            f'fill="{colour}">'
            f"<title>{escape(what)}</title></rect>"
        )
        cx = x + w / 2
        parts.append(
            f'<text class="value" x="{cx:.1f}" y="{y - 5:.1f}" text-anchor="middle" '
            'font-weight="bold">'
            f"{escape(fmt(p.earned))}</text>"
        )
        parts.append(
            f'<text class="month" x="{cx:.1f}" y="{top + plot_h + 16}" text-anchor="middle">'
            f"{escape(p.label)}</text>"
        )
        if p.partial:
            parts.append(
                f'<text class="month-note" x="{cx:.1f}" y="{top + plot_h + 30}" '
                f'text-anchor="middle">{escape(p.note)}</text>'
            )
    if not points:
        parts.append(
            f'<text class="empty" x="{left + plot_w / 2:.1f}" y="{top + plot_h / 2:.1f}" '
            f'text-anchor="middle">{escape("尚未进入考核年度，暂无数据")}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts)
