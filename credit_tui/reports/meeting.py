"""The meeting report (.html or .md): the score as of a date, ready to print or send.

Contents: the totals (with the year-end projection when records are planned),
the score table by category and indicator, the month-end trend as an inline SVG
bar chart, lost points with their reasons, overdue and upcoming deadlines, and
the departments' loads. The HTML is one self-contained file: no script, no
external resource, a print stylesheet for A4. The Markdown carries the same
numbers, with the trend as a text table.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape
from pathlib import Path

from credit_tui.interchange.evidence import InterchangeError
from credit_tui.interchange.sheets import write_atomically
from credit_tui.reports import key_task_docs as ktd
from credit_tui.reports.label import with_label
from credit_tui.reports.org_name import full_organisation
from credit_tui.reports.text import lost_reasons
from credit_tui.scoring.calendar import (
    DepartmentLoad,
    Occurrence,
    TaskStatus,
    between,
    department_loads,
    occurrences,
    with_status,
)
from credit_tui.scoring.catalog import Catalog
from credit_tui.scoring.dates import clamp_as_of, month_end
from credit_tui.scoring.engine import score
from credit_tui.scoring.evidence import Evidence
from credit_tui.scoring.key_tasks import KeyTaskOccurrence
from credit_tui.scoring.points import Halves, fmt
from credit_tui.scoring.report import ComponentScore, ScoreReport
from credit_tui.store.database import Store

SUFFIXES = (".html", ".htm", ".md", ".docx")
PROJECTION_NOTE = (
    "“预计”为年终（12 月 31 日）得分：已登记为“计划”的材料按期完成、此外不再新增材料时的分数"
    "（之后各月、各季度按缺报计，故个别指标的预计可能低于当前得分）。"
)
STATUS_CLASSES = {
    TaskStatus.DONE: "s-done",
    TaskStatus.IN_PROGRESS: "s-progress",
    TaskStatus.NOT_STARTED: "s-new",
    TaskStatus.DUE_SOON: "s-soon",
    TaskStatus.OVERDUE: "s-overdue",
    TaskStatus.LOST: "s-lost",
}


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """Earned as of one month's end (or as of the report's date, for its own month)."""

    month: int
    day: date
    earned: Halves

    @property
    def partial(self) -> bool:
        """The month has not ended by the report's date."""
        return self.day != month_end(self.day.year, self.month)

    @property
    def label(self) -> str:
        """``"7月"``."""
        return f"{self.month}月"

    @property
    def note(self) -> str:
        """``"月末"`` or ``"截至15日"``."""
        return f"截至{self.day.day}日" if self.partial else "月末"


@dataclass(frozen=True, slots=True)
class Meeting:
    """Everything the report shows."""

    catalog: Catalog
    report: ScoreReport
    projected: ScoreReport | None
    trend: tuple[TrendPoint, ...]
    lost: tuple[ComponentScore, ...]
    overdue: tuple[Occurrence, ...]
    upcoming: tuple[Occurrence, ...]
    soon_days: int
    loads: tuple[DepartmentLoad, ...]
    key_tasks: tuple[KeyTaskOccurrence, ...] = ()
    """重点任务 checks overdue or due within ``soon_days`` (never scored)."""

    @property
    def title(self) -> str:
        """The report's heading."""
        return with_label(
            f"{full_organisation(self.catalog)} {self.report.year} 年度信用交通县创建工作会议报告",
            self.catalog,
            self.report.year,
        )

    @property
    def subtitle(self) -> str:
        """``截至 2024 年 7 月 15 日``."""
        d = self.report.as_of
        text = f"截至 {d.year} 年 {d.month} 月 {d.day} 日"
        if self.report.final:
            text += "（年终）"
        return text


def gather(store: Store, as_of: date) -> Meeting:
    """Score the store as of ``as_of`` and collect what the meeting report shows."""
    catalog, year, records = store.catalog, store.campaign.year, store.records()
    report = score(catalog, records, year=year, as_of=as_of)
    projected = None
    if any(r.planned for r in records):
        projected = score(catalog, records, year=year, as_of=as_of, projected=True)
    occs = occurrences(catalog, report)
    soon = catalog.due_soon_days
    day = report.as_of
    overdue_tasks, upcoming_tasks = ktd.due_now(ktd.checks(catalog, year, records, day), day, soon)
    return Meeting(
        catalog=catalog,
        report=report,
        projected=projected,
        trend=tuple(month_trend(catalog, records, year, as_of, report)),
        lost=tuple(c for ind in report.indicators for c in ind.components if c.lost),
        overdue=tuple(with_status(occs, TaskStatus.OVERDUE)),
        upcoming=tuple(o for o in between(occs, day, day + timedelta(days=soon)) if o.open),
        soon_days=soon,
        loads=tuple(department_loads(occs, catalog.departments)),
        key_tasks=tuple(overdue_tasks + upcoming_tasks),
    )


def month_trend(
    catalog: Catalog,
    records: list[Evidence],
    year: int,
    as_of: date,
    report: ScoreReport | None = None,
) -> list[TrendPoint]:
    """Earned as of each month end of the year up to ``as_of``; its own month as of ``as_of``."""
    as_of = clamp_as_of(as_of, year)
    if as_of < date(year, 1, 1):
        return []
    points = []
    for month in range(1, as_of.month + 1):
        day = min(month_end(year, month), as_of)
        if day == as_of and report is not None:
            earned = report.earned
        else:
            earned = score(catalog, records, year=year, as_of=day).earned
        points.append(TrendPoint(month, day, earned))
    return points


def export_report(store: Store, out: Path, *, as_of: date) -> None:
    """Write the meeting report as of ``as_of`` to ``out`` (.html, .md or .docx)."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in SUFFIXES:
        raise InterchangeError(
            [f"{out}: 不支持的文件类型“{out.suffix}”，会议报告应为 .html、.md 或 .docx"]
        )
    meeting = gather(store, as_of)
    if suffix == ".docx":
        from credit_tui.reports.meeting_docx import write_meeting_docx

        write_meeting_docx(meeting, out)
        return
    text = render_markdown(meeting) if suffix == ".md" else render_html(meeting)
    write_atomically(out, lambda tmp: tmp.write_text(text, encoding="utf-8", newline="\n"))


# --- shared pieces -------------------------------------------------------------------------


def _md_date(day: date) -> str:
    return f"{day.month}月{day.day}日"


def _occurrence_what(catalog: Catalog, occ: Occurrence) -> str:
    spec = occ.spec
    comp = catalog.by_code[spec.indicator].component(spec.component)
    return comp.label + (f"（{spec.label}）" if spec.label else "")


def _totals(m: Meeting) -> list[tuple[str, str]]:
    r = m.report
    items = [
        ("已得", f"{fmt(r.earned)} / {fmt(r.max)}"),
        ("已失", fmt(r.lost)),
        ("可达", fmt(r.potential)),
    ]
    if m.projected is not None:
        items.append(("预计（计划按期完成）", fmt(m.projected.earned)))
    return items


def _score_rows(m: Meeting) -> list[tuple[bool, str, list[str]]]:
    """(is category, label, numbers) rows of the score table."""
    rows = []
    proj = m.projected
    for cat in m.report.categories:
        nums = [fmt(cat.earned), fmt(cat.lost), fmt(cat.potential), fmt(cat.max)]
        if proj is not None:
            nums.append(fmt(proj.category(cat.code).earned))
        rows.append((True, cat.title, nums))
        for ind in m.report.indicators:
            if ind.category_code != cat.code:
                continue
            nums = [fmt(ind.earned), fmt(ind.lost), fmt(ind.potential), fmt(ind.max)]
            if proj is not None:
                nums.append(fmt(proj.indicator(ind.code).earned))
            rows.append((False, f"{m.catalog.display_code(ind.code)} {ind.name}", nums))
    total = [fmt(m.report.earned), fmt(m.report.lost), fmt(m.report.potential), fmt(m.report.max)]
    if proj is not None:
        total.append(fmt(proj.earned))
    rows.append((True, "合计", total))
    return rows


def _score_header(m: Meeting) -> list[str]:
    return ["得分", "已失", "可达", "满分"] + (["预计"] if m.projected is not None else [])


def _occurrence_cells(catalog: Catalog, occ: Occurrence) -> list[str]:
    return [
        _md_date(occ.due),
        catalog.display_code(occ.spec.indicator),
        _occurrence_what(catalog, occ),
        "、".join(occ.spec.departments),
        occ.status.value,
        fmt(occ.at_stake),
    ]


OCC_HEADER = ["时间节点", "指标", "事项", "责任单位", "状态", "分值"]
LOAD_HEADER = ["责任单位", "时间节点", "待办", "逾期", "失分"]


def _load_cells(load: DepartmentLoad) -> list[str]:
    return [load.department, str(load.items), str(load.open), str(load.overdue), str(load.lost)]


# --- the trend chart -----------------------------------------------------------------------


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


# --- HTML ----------------------------------------------------------------------------------

CSS = """
@page { size: A4; margin: 14mm 12mm; }
* { box-sizing: border-box; }
body { font-family: "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC",
  "SimSun", sans-serif; font-size: 11pt; line-height: 1.5; color: #222; max-width: 200mm;
  margin: 0 auto; padding: 8mm; }
h1 { font-size: 17pt; margin: 0 0 2pt; }
h2 { font-size: 13pt; margin: 14pt 0 4pt; border-left: 4pt solid #2f5d8c; padding-left: 6pt; }
p.sub { margin: 0 0 8pt; color: #555; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0 8pt; }
th, td { border: 1px solid #9aa; padding: 2pt 6pt; vertical-align: top; text-align: left; }
th { background: #e8eef5; font-weight: bold; }
.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tr.cat td { font-weight: bold; background: #f3f6fa; }
tr.total td { font-weight: bold; background: #e8eef5; }
tr.ind td:first-child { padding-left: 18pt; }
.summary { display: flex; flex-wrap: wrap; gap: 6pt; margin: 6pt 0; }
.summary div { border: 1px solid #9aa; padding: 4pt 10pt; min-width: 28mm; }
.summary b { display: block; font-size: 15pt; }
.none { color: #666; }
.s-done { color: #1e7b34; } .s-progress { color: #1f5fa8; } .s-new { color: #555; }
.s-soon { color: #a65f00; font-weight: bold; } .s-overdue { color: #c0392b; font-weight: bold; }
.s-lost { color: #8b0000; font-weight: bold; }
.lost { color: #8b0000; }
svg.trend { max-width: 170mm; display: block; }
svg.trend .grid { stroke: #dde3ea; stroke-width: 1; }
svg.trend .axis { stroke: #555; stroke-width: 1; }
svg.trend .bar { fill: #2f5d8c; }
svg.trend .bar.partial { fill: #7fa3c8; }
svg.trend text { fill: #333; }
svg.trend .tick, svg.trend .month-note, svg.trend .axis-title { fill: #666; font-size: 10px; }
svg.trend .value { font-weight: bold; }
ul.warn { margin: 2pt 0; padding-left: 16pt; color: #7a5a00; }
footer { margin-top: 12pt; color: #777; font-size: 9pt; }
@media print {
  body { padding: 0; max-width: none; font-size: 10pt; }
  table, figure, .summary, svg, ul { break-inside: avoid; page-break-inside: avoid; }
  tr, td, th { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  h2 { break-after: avoid; page-break-after: avoid; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def _html_table(
    header: list[str],
    rows: list[list[str]],
    *,
    numeric: Collection[int] = (),
    cell_class: Callable[[int, str], str] | None = None,
    row_class: list[str] | None = None,
) -> list[str]:
    out = ["<table>", "<thead><tr>"]
    out += [
        f'<th class="num">{escape(h)}</th>' if i in numeric else f"<th>{escape(h)}</th>"
        for i, h in enumerate(header)
    ]
    out.append("</tr></thead>")
    out.append("<tbody>")
    for n, row in enumerate(rows):
        cls = row_class[n] if row_class else ""
        out.append(f'<tr class="{cls}">' if cls else "<tr>")
        for i, text in enumerate(row):
            classes = ["num"] if i in numeric else []
            if cell_class is not None and (extra := cell_class(i, text)):
                classes.append(extra)
            attr = f' class="{" ".join(classes)}"' if classes else ""
            out.append(f"<td{attr}>{escape(text)}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    return out


def _status_class(column: int) -> Callable[[int, str], str]:
    by_word = {s.value: c for s, c in STATUS_CLASSES.items()}
    return lambda i, text: by_word.get(text, "") if i == column else ""


def render_html(m: Meeting) -> str:
    """The report as one self-contained HTML page."""
    catalog = m.catalog
    body: list[str] = [
        f"<h1>{escape(m.title)}</h1>",
        f'<p class="sub">{escape(m.subtitle)} · 评分依据：{escape(catalog.title)}</p>',
        '<section><h2>总体得分</h2><div class="summary">',
    ]
    body += [f"<div>{escape(name)}<b>{escape(value)}</b></div>" for name, value in _totals(m)]
    body.append("</div>")
    if m.projected is not None:
        body.append(f'<p class="none">{escape(PROJECTION_NOTE)}</p>')
    body.append("</section>")

    body.append("<section><h2>得分表</h2>")
    rows = _score_rows(m)
    classes = [
        "total" if label == "合计" else ("cat" if is_cat else "ind") for is_cat, label, _ in rows
    ]
    header = ["类别 / 指标", *_score_header(m)]
    body += _html_table(
        header,
        [[label, *nums] for _, label, nums in rows],
        numeric=set(range(1, len(header))),
        row_class=classes,
    )
    body.append("</section>")

    body.append("<section><h2>得分趋势（各月月末）</h2><figure>")
    body.append(trend_svg(m))
    body.append("</figure></section>")

    body.append(f"<section><h2>已失分（{len(m.lost)} 项）</h2>")
    if m.lost:
        body += _html_table(
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
            numeric={2},
            cell_class=lambda i, _t: "lost" if i == 2 else "",
        )
    else:
        body.append('<p class="none">无</p>')
    body.append("</section>")

    for heading, occs in (
        (f"已逾期（{len(m.overdue)} 项）", m.overdue),
        (f"{m.soon_days} 天内到期（{len(m.upcoming)} 项）", m.upcoming),
    ):
        body.append(f"<section><h2>{escape(heading)}</h2>")
        if occs:
            body += _html_table(
                OCC_HEADER,
                [_occurrence_cells(catalog, o) for o in occs],
                numeric={5},
                cell_class=_status_class(4),
            )
        else:
            body.append('<p class="none">无</p>')
        body.append("</section>")

    if m.key_tasks:
        body.append(f"<section><h2>{escape(ktd.heading(m.key_tasks))}</h2>")
        body += _html_table(ktd.HEADER, [ktd.row_cells(o) for o in m.key_tasks],
                            cell_class=_status_class(3))  # fmt: skip
        body.append(f'<p class="none">{escape(ktd.NOTE)}</p></section>')

    body.append("<section><h2>各责任单位任务情况</h2>")
    body += _html_table(
        LOAD_HEADER,
        [_load_cells(d) for d in m.loads],
        numeric={1, 2, 3, 4},
        cell_class=lambda i, t: (
            ("s-overdue" if i == 3 else "s-lost" if i == 4 else "") if t != "0" else ""
        ),
    )
    body.append(
        '<p class="none">时间节点：该单位共同负责的时间节点数；待办：尚未完成且未失分；'
        "逾期：已过时间节点仍未完成；失分：分数已无法取得。</p></section>"
    )

    warnings = m.report.all_warnings()
    if warnings:
        body.append('<section><h2>提示</h2><ul class="warn">')
        body += [f"<li>{escape(w)}</li>" for w in warnings]
        body.append("</ul></section>")
    body.append(f"<footer>{escape('由 信用交通县创建工作台 生成。')}</footer>")
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="zh-CN">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{escape(m.title)} · {escape(m.subtitle)}</title>",
            f"<style>{CSS}</style>",
            "</head>",
            "<body>",
            *body,
            "</body>",
            "</html>",
            "",
        ]
    )


# --- Markdown ------------------------------------------------------------------------------

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
    lines += [f"- {md(name)}：**{md(value)}**" for name, value in _totals(m)]
    if m.projected is not None:
        lines += ["", PROJECTION_NOTE]
    lines += ["", "## 得分表", ""]
    header = ["类别 / 指标", *_score_header(m)]
    rows = []
    for is_cat, label, nums in _score_rows(m):
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
                [[md(t) for t in _occurrence_cells(catalog, o)] for o in occs],
                {5},
            )
        else:
            lines.append("无")

    if m.key_tasks:
        lines += ["", f"## {md(ktd.heading(m.key_tasks))}", ""]
        lines += _md_table(ktd.HEADER, [[md(t) for t in ktd.row_cells(o)] for o in m.key_tasks])
        lines += ["", ktd.NOTE]

    lines += ["", "## 各责任单位任务情况", ""]
    lines += _md_table(
        LOAD_HEADER, [[md(t) for t in _load_cells(d)] for d in m.loads], {1, 2, 3, 4}
    )
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
