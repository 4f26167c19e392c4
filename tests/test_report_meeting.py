"""The meeting report: ``credit-tui report --out FILE.html|.md [--as-of D]``."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from credit_tui.interchange.evidence import InterchangeError
from credit_tui.reports.meeting import export_report, gather, render_html, render_markdown
from credit_tui.scoring.dates import month_end
from credit_tui.scoring.engine import score
from credit_tui.scoring.points import fmt
from credit_tui.service.demo import DEMO_TODAY, build_demo
from credit_tui.store.database import Store

CATEGORY_NAMES = (
    "制度建设",
    "联动机制",
    "信息管理",
    "信用应用",
    "诚信宣传",
    "培训交流",
    "探索创新",
)
MONTHS = [f"{m}月" for m in range(1, 8)]


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Store]:
    store = build_demo(tmp_path / "demo" / "demo.db")
    try:
        yield store
    finally:
        store.close()


class Page(HTMLParser):
    """Text by ``<h2>`` section, table rows by section, tags and attributes seen."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: dict[str, list[str]] = {"": []}
        self.rows: dict[str, list[list[str]]] = {"": []}
        self.current = ""
        self.in_h2 = False
        self.heading = ""
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.svg_depth = 0
        self.svg_text: list[str] = []
        self.style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "h2":
            self.in_h2, self.heading = True, ""
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th"):
            self.cell = []
        elif tag == "svg":
            self.svg_depth += 1
        elif tag == "style":
            self.style = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2":
            self.in_h2 = False
            self.current = self.heading
            self.sections[self.current] = []
            self.rows[self.current] = []
        elif tag in ("td", "th") and self.row is not None and self.cell is not None:
            self.row.append("".join(self.cell).strip())
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.rows[self.current].append(self.row)
            self.row = None
        elif tag == "svg":
            self.svg_depth -= 1
        elif tag == "style":
            self.style = False

    def handle_data(self, data: str) -> None:
        if self.style:
            return
        if self.in_h2:
            self.heading += data
            return
        self.sections[self.current].append(data)
        if self.cell is not None:
            self.cell.append(data)
        if self.svg_depth:
            self.svg_text.append(data.strip())

    @property
    def text(self) -> str:
        return "".join(t for part in self.sections.values() for t in part)

    def section(self, start: str) -> tuple[str, list[list[str]]]:
        """Text and table rows of the first section whose heading starts with ``start``."""
        for heading, parts in self.sections.items():
            if heading.startswith(start):
                return "".join(parts), self.rows[heading]
        raise KeyError(start)


def parse(text: str) -> Page:
    page = Page()
    page.feed(text)
    page.close()
    return page


def engine(store: Store, as_of: date, *, projected: bool = False):
    return score(
        store.catalog, store.records(), year=store.campaign.year, as_of=as_of, projected=projected
    )


@pytest.fixture
def html(demo: Store, tmp_path: Path) -> str:
    out = tmp_path / "report.html"
    export_report(demo, out, as_of=DEMO_TODAY)
    return out.read_text(encoding="utf-8")


@pytest.fixture
def markdown(demo: Store, tmp_path: Path) -> str:
    out = tmp_path / "report.md"
    export_report(demo, out, as_of=DEMO_TODAY)
    return out.read_text(encoding="utf-8")


# --- HTML ----------------------------------------------------------------------------------


def test_html_is_self_contained_and_printable(html: str) -> None:
    assert html.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in html
    assert "<script" not in html.lower()
    assert "http://" not in html and "https://" not in html
    page = parse(html)
    for tag, attrs in page.tags:
        for name in ("src", "href", "xlink:href"):
            value = attrs.get(name)
            assert value is None or not re.match(r"^(https?:)?//", value), (tag, attrs)
    assert not [t for t, _ in page.tags if t in ("link", "img", "iframe", "object", "embed")]
    style = re.search(r"<style>(.*?)</style>", html, re.S)
    assert style is not None
    assert "@media print" in style.group(1)
    assert "A4" in style.group(1)
    assert "page-break-inside: avoid" in style.group(1) or "break-inside: avoid" in style.group(1)
    assert "url(" not in style.group(1) and "@import" not in style.group(1)


def test_html_title_and_totals(html: str, demo: Store) -> None:
    page = parse(html)
    text = page.text
    assert "钢城区城乡交通运输局" in text and "2024 年度" in text
    assert "截至 2024 年 7 月 15 日" in text
    report = engine(demo, DEMO_TODAY)
    assert fmt(report.earned) == "37.5"
    summary, _ = page.section("总体得分")
    assert "37.5 / 100" in summary
    assert f"已失{fmt(report.lost)}" in summary and f"可达{fmt(report.potential)}" in summary
    projected = engine(demo, DEMO_TODAY, projected=True)
    assert f"预计（计划按期完成）{fmt(projected.earned)}" in summary


def test_html_score_table_has_every_category_and_indicator(html: str, demo: Store) -> None:
    report = engine(demo, DEMO_TODAY)
    _, rows = parse(html).section("得分表")
    by_label = {row[0]: row[1:] for row in rows}
    for name in CATEGORY_NAMES:
        assert any(name in label for label in by_label), name
    for cat in report.categories:
        assert by_label[cat.title][:4] == [
            fmt(cat.earned), fmt(cat.lost), fmt(cat.potential), fmt(cat.max)
        ]  # fmt: skip
    for ind in report.indicators:
        label = f"{demo.catalog.display_code(ind.code)} {ind.name}"
        assert by_label[label][0] == fmt(ind.earned)
    assert by_label["合计"][0] == "37.5"
    assert by_label["五、3 一把手谈信用及诚信典型案例"][0] == "0.5"  # halves stay exact


def test_html_trend_is_an_inline_svg_with_one_bar_per_month(html: str, demo: Store) -> None:
    page = parse(html)
    svgs = [attrs for tag, attrs in page.tags if tag == "svg"]
    assert len(svgs) == 1
    bars = [
        attrs for tag, attrs in page.tags if tag == "rect" and "bar" in (attrs.get("class") or "")
    ]
    assert len(bars) == 7  # January to July
    for month in MONTHS:
        assert month in page.svg_text
    assert "8月" not in page.svg_text
    # the bars carry the month-end scores, the last one today's
    values = re.findall(r'<text class="value"[^>]*>([^<]*)</text>', html)
    expected = [fmt(engine(demo, month_end(2024, m)).earned) for m in range(1, 7)]
    assert values == [*expected, "37.5"]
    assert "得分（分）" in page.svg_text  # the axis is labelled


def test_html_lost_overdue_and_upcoming(html: str) -> None:
    page = parse(html)
    lost_text, lost_rows = page.section("已失分")
    assert [row[0] for row in lost_rows[1:]] == ["二、1", "三、1"]
    assert all(row[2] == "-1" for row in lost_rows[1:])
    assert "第二季度无记录" in lost_text and "第二季度仅 1 条" in lost_text
    _, overdue = page.section("已逾期")
    assert sorted(row[1] for row in overdue[1:]) == ["二、2", "五、3"]
    assert all(row[4] == "已逾期" for row in overdue[1:])
    upcoming, rows = page.section("14 天内到期")
    assert "无" in upcoming and not rows


def test_html_department_table(html: str, demo: Store) -> None:
    _, rows = parse(html).section("各责任单位")
    assert rows[0] == ["责任单位", "时间节点", "待办", "逾期", "失分"]
    table = {row[0]: row[1:] for row in rows[1:]}
    assert list(table) == list(demo.catalog.departments)
    assert table["法规科"][1:] == ["29", "2", "2"]
    assert table["办公室"][1:] == ["18", "1", "2"]


def test_upcoming_items_are_listed(demo: Store, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    export_report(demo, out, as_of=date(2024, 9, 20))
    _, rows = parse(out.read_text(encoding="utf-8")).section("14 天内到期")
    codes = {row[1] for row in rows[1:]}
    assert {"四、2", "七、2"} <= codes
    assert all(row[0] == "9月30日" for row in rows[1:])


def test_text_is_escaped(demo: Store) -> None:
    meeting = gather(demo, DEMO_TODAY)
    catalog = meeting.catalog.model_copy(
        update={"organisation_full": "<script>alert(1)</script>局"}
    )
    tampered = dataclasses.replace(meeting, catalog=catalog)
    html = render_html(tampered)
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;局" in html
    md = render_markdown(tampered)
    assert re.search(r"(?<!\\)<script", md) is None
    markdown_it = pytest.importorskip("markdown_it")
    rendered = markdown_it.MarkdownIt("commonmark").enable("table").render(md)
    assert "<script" not in rendered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;局" in rendered


def test_markdown_renders_its_tables(markdown: str) -> None:
    markdown_it = pytest.importorskip("markdown_it")
    rendered = markdown_it.MarkdownIt("commonmark").enable("table").render(markdown)
    page = parse(rendered)
    _, rows = page.section("得分表")
    assert rows[-1][:2] == ["合计", "37.5"]
    _, lost = page.section("已失分")
    assert [row[0] for row in lost[1:]] == ["二、1", "三、1"]


# --- Markdown ------------------------------------------------------------------------------


def test_markdown_has_the_same_numbers(markdown: str, html: str, demo: Store) -> None:
    assert "<script" not in markdown.lower()
    assert "http://" not in markdown and "https://" not in markdown
    assert "37.5 / 100" in markdown
    for name in CATEGORY_NAMES:
        assert name in markdown
    report = engine(demo, DEMO_TODAY)
    for ind in report.indicators:
        line = f"| {demo.catalog.display_code(ind.code)} {ind.name} | {fmt(ind.earned)} |"
        assert line in markdown.replace("\\", ""), line
    trend = re.findall(r"^\| (\d+)月（[^）]*） \| ([\d.]+) \|", markdown, re.M)
    assert [m for m, _ in trend] == [str(m) for m in range(1, 8)]
    assert trend[-1][1] == "37.5"
    assert "| 二、1 | 与市局季度共同研究 | -1 |" in markdown
    assert "| 三、1 | 报送信用工作信息 | -1 |" in markdown
    overdue = markdown.split("## 已逾期")[1].split("## ")[0]
    assert "二、2" in overdue and "五、3" in overdue
    assert "| 法规科 | 47 | 29 | 2 | 2 |" in markdown
    # every number of the HTML score table is in the Markdown one
    _, rows = parse(html).section("得分表")
    for row in rows[1:]:
        assert " | ".join(row[1:]) in markdown.replace("*", "")


# --- as-of, errors and the command line --------------------------------------------------


def test_another_as_of_changes_the_totals(demo: Store, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    export_report(demo, out, as_of=date(2024, 12, 31))
    final = engine(demo, date(2024, 12, 31))
    assert final.earned != engine(demo, DEMO_TODAY).earned
    page = parse(out.read_text(encoding="utf-8"))
    summary, _ = page.section("总体得分")
    assert f"{fmt(final.earned)} / 100" in summary and "37.5 / 100" not in summary
    assert f"已失{fmt(final.lost)}" in summary
    assert "年终" in page.text
    bars = [a for t, a in page.tags if t == "rect" and "bar" in (a.get("class") or "")]
    assert len(bars) == 12
    md_out = tmp_path / "r.md"
    export_report(demo, md_out, as_of=date(2024, 12, 31))
    assert f"{fmt(final.earned)} / 100" in md_out.read_text(encoding="utf-8")


def test_before_the_year_nothing_counts(demo: Store, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    export_report(demo, out, as_of=date(2023, 6, 1))
    page = parse(out.read_text(encoding="utf-8"))
    summary, _ = page.section("总体得分")
    assert "0 / 100" in summary
    assert not [a for t, a in page.tags if t == "rect"]
    assert "暂无数据" in page.text


@pytest.mark.parametrize("name", ["r.pdf", "r.txt", "r"])
def test_bad_suffix_is_refused(demo: Store, tmp_path: Path, name: str) -> None:
    with pytest.raises(InterchangeError):
        export_report(demo, tmp_path / name, as_of=DEMO_TODAY)
    assert not (tmp_path / name).exists()


def test_overwrites_atomically(demo: Store, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "r.html"
    out.write_text("old", encoding="utf-8")
    export_report(demo, out, as_of=DEMO_TODAY)
    assert "37.5" in out.read_text(encoding="utf-8")
    assert [p.name for p in folder.iterdir()] == ["r.html"]


def test_cli_report(run_cli, demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "会议" / "报告.html"
    result = run_cli("report", "--out", out, db=demo_db)
    assert result.code == 0, result.err
    assert "已生成会议报告" in result.out
    assert "37.5 / 100" in out.read_text(encoding="utf-8")
    md = tmp_path / "报告.md"
    result = run_cli("report", "--out", md, "--as-of", "2024-12-31", db=demo_db)
    assert result.code == 0, result.err
    assert "年终" in md.read_text(encoding="utf-8")


def test_cli_bad_suffix_exits_2(run_cli, demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "报告.pdf"  # (.docx is the Word report now)
    result = run_cli("report", "--out", out, db=demo_db)
    assert result.code == 2
    assert ".html" in result.err and ".docx" in result.err and "Traceback" not in result.err
    assert not out.exists()
