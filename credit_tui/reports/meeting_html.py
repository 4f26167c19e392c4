"""The meeting report as one self-contained HTML page: no script, no external resource,
a print stylesheet for A4."""

from __future__ import annotations

from collections.abc import Callable, Collection
from html import escape

from credit_tui.reports import key_task_docs as ktd
from credit_tui.reports.meeting_data import (
    LOAD_HEADER,
    OCC_HEADER,
    PROJECTION_NOTE,
    STATUS_CLASSES,
    Meeting,
    load_cells,
    occurrence_cells,
    score_header,
    score_rows,
    totals,
)
from credit_tui.reports.meeting_svg import trend_svg
from credit_tui.reports.text import lost_reasons
from credit_tui.scoring.points import fmt

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
    body += [f"<div>{escape(name)}<b>{escape(value)}</b></div>" for name, value in totals(m)]
    body.append("</div>")
    if m.projected is not None:
        body.append(f'<p class="none">{escape(PROJECTION_NOTE)}</p>')
    body.append("</section>")

    body.append("<section><h2>得分表</h2>")
    rows = score_rows(m)
    classes = [
        "total" if label == "合计" else ("cat" if is_cat else "ind") for is_cat, label, _ in rows
    ]
    header = ["类别 / 指标", *score_header(m)]
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
                [occurrence_cells(catalog, o) for o in occs],
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
        [load_cells(d) for d in m.loads],
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
