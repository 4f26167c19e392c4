"""自评表 (``export self-assessment``): read back with openpyxl and checked against the demo
store scored independently through the engine."""

from __future__ import annotations

import re
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest
from openpyxl import load_workbook

from credit_tui.cli.entry import main
from credit_tui.interchange.evidence import InterchangeError
from credit_tui.reports.self_assessment import HEADER, export_self_assessment
from credit_tui.scoring.engine import score
from credit_tui.scoring.points import as_number, fmt
from credit_tui.scoring.report import ScoreReport
from credit_tui.store.database import Store

AS_OF = date(2024, 7, 15)
ORG = "钢城区城乡交通运输局"


@pytest.fixture
def store(demo_db: Path):
    with Store.open(demo_db) as opened:
        yield opened


def engine(store: Store, as_of: date = AS_OF) -> ScoreReport:
    return score(store.catalog, store.records(), year=store.campaign.year, as_of=as_of)


def read(path: Path) -> tuple[str, list[str], list[dict[str, object]]]:
    sheet = load_workbook(path).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = [str(v) for v in values[1]]
    return str(values[0][0]), header, [dict(zip(header, row, strict=True)) for row in values[2:]]


def kind(row: dict[str, object]) -> str:
    label = str(row["指标"])
    if label == "合计":
        return "total"
    if label.endswith(" 小计"):
        return "subtotal"
    return "indicator"


def halves(value: object) -> int:
    """A cell's number in halves, failing on anything that is not an exact 0.5 step."""
    assert isinstance(value, int | float) and not isinstance(value, bool), value
    doubled = Fraction(value) * 2
    assert doubled.denominator == 1, value
    return int(doubled)


@pytest.fixture
def sheet(store: Store, tmp_path: Path) -> tuple[str, list[str], list[dict[str, object]]]:
    out = tmp_path / "自评表.xlsx"
    export_self_assessment(store, out, as_of=AS_OF)
    return read(out)


def test_layout_and_totals(store: Store, sheet) -> None:
    title, header, rows = sheet
    report = engine(store)
    assert ORG in title and "自评表" in title and "2024-07-15" in title
    assert header == list(HEADER)
    assert [kind(r) for r in rows].count("indicator") == 23
    assert [kind(r) for r in rows].count("subtotal") == 7
    assert [kind(r) for r in rows].count("total") == 1
    assert kind(rows[-1]) == "total"

    total = rows[-1]
    assert total["自评得分"] == as_number(report.earned) == 37.5
    assert halves(total["自评得分"]) == report.earned
    assert halves(total["满分"]) == report.max == 200

    # rows in catalog order, each category closed by its subtotal
    catalog = store.catalog
    position = 0
    for cat in report.categories:
        indicators = [i for i in report.indicators if i.category_code == cat.code]
        chunk = rows[position : position + len(indicators) + 1]
        position += len(indicators) + 1
        for row, ind in zip(chunk, indicators, strict=False):
            assert row["指标"] == f"{catalog.display_code(ind.code)} {ind.name}"
            assert row["评估标准"] == catalog.by_code[ind.code].criteria
            assert halves(row["满分"]) == ind.max
            assert halves(row["自评得分"]) == ind.earned
        subtotal = chunk[-1]
        assert subtotal["指标"] == f"{cat.title} 小计"
        assert halves(subtotal["自评得分"]) == cat.earned
        assert halves(subtotal["满分"]) == cat.max
        assert sum(halves(r["自评得分"]) for r in chunk[:-1]) == cat.earned
    assert position == len(rows) - 1


def test_half_points_stay_exact(sheet) -> None:
    _, _, rows = sheet
    by_label = {str(r["指标"]): r for r in rows}
    assert by_label["五、3 一把手谈信用及诚信典型案例"]["自评得分"] == 0.5
    assert by_label["五、诚信宣传 小计"]["自评得分"] == 2.5


def test_deductions_explain_every_missing_point(store: Store, sheet) -> None:
    _, _, rows = sheet
    report = engine(store)
    catalog = store.catalog
    by_label = {str(r["指标"]): r for r in rows}
    for ind in report.indicators:
        row = by_label[f"{catalog.display_code(ind.code)} {ind.name}"]
        text = row["扣分说明"] or ""
        short = [c for c in ind.components if c.earned < c.max]
        if not short:
            assert text == ""
            continue
        lines = str(text).split("\n")
        assert len(lines) == len(short)
        for line, comp in zip(lines, short, strict=True):
            assert line.startswith(f"{comp.label}：扣 {fmt(comp.max - comp.earned)} 分")
            assert f"已失 {fmt(comp.lost)} 分" in line
    # 2.1: the second quarter ended without a joint study
    joint = str(by_label["二、1 与市交通运输局定期沟通联络"]["扣分说明"])
    assert "已失 1 分" in joint and "第二季度" in joint
    assert "缺 宣传部门" in str(by_label["二、2 与相关部门沟通对接协调机制"]["扣分说明"])


def test_evidence_lists_dates_titles_and_attachment_names(store: Store, sheet) -> None:
    _, _, rows = sheet
    catalog = store.catalog
    names = store.attachment_names()
    by_label = {str(r["指标"]): r for r in rows}
    for ind in catalog.indicators:
        row = by_label[f"{catalog.display_code(ind.code)} {ind.name}"]
        mine = sorted(
            (
                r
                for r in store.records()
                if r.indicator == ind.code and not r.planned and r.date <= AS_OF
            ),
            key=lambda r: (r.date, r.id),
        )
        lines = str(row["佐证材料"] or "").split("\n") if row["佐证材料"] else []
        lines = [line for line in lines if not line.startswith("【缺佐证材料")]
        assert len(lines) == len(mine)
        for line, rec in zip(lines, mine, strict=True):
            assert line.startswith(f"{rec.date.isoformat()} {rec.title}")
            files = [ref.name for ref in names.get(rec.id, [])]
            if files:
                assert f"（附件：{'、'.join(files)}）" in line
            else:
                assert "附件" not in line
    plan = str(by_label["一、2 创建工作方案及月度台账"]["佐证材料"])
    assert (
        "2024-04-18 钢城区城乡交通运输局信用交通县创建工作方案"
        "（附件：2024-04-18 钢城区城乡交通运输局信用交通县创.txt）"
    ) in plan
    # planned records and records after the as-of date are not evidence yet
    assert "信易行" not in str(by_label["七、1 “信易+”政策文件"]["佐证材料"])
    assert re.search(
        r"2024-06-21 机动车维修企业信用评价结果.*不计分",
        str(by_label["四、2 信用评价"]["佐证材料"]),
    )


def test_print_setup(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "sa.xlsx"
    export_self_assessment(store, out, as_of=AS_OF)
    sheet = load_workbook(out).active
    assert sheet.page_setup.orientation == "landscape"
    assert str(sheet.page_setup.paperSize) == str(sheet.PAPERSIZE_A4)
    assert sheet.print_title_rows.replace("$", "") == "2:2"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet["B3"].alignment.wrap_text
    assert sheet.column_dimensions["B"].width >= 30
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_an_earlier_date_scores_less(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "may.xlsx"
    export_self_assessment(store, out, as_of=date(2024, 5, 31))
    _, _, rows = read(out)
    assert rows[-1]["自评得分"] == as_number(engine(store, date(2024, 5, 31)).earned) == 19


def test_only_xlsx(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "out" / "sa.csv"
    with pytest.raises(InterchangeError) as info:
        export_self_assessment(store, out, as_of=AS_OF)
    assert "自评表应为 .xlsx" in str(info.value)
    assert not out.parent.exists()


def test_through_the_command_line(demo_db: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "自评表.xlsx"
    argv = ["--db", str(demo_db), "--today", "2024-07-15", "export", "self-assessment"]
    assert main([*argv, "--out", str(out), "--as-of", "2024-06-30"]) == 0
    assert "已导出自评表" in capsys.readouterr().out
    _, _, rows = read(out)
    assert rows[-1]["自评得分"] == 30.5

    bad = tmp_path / "自评表.md"
    assert main([*argv, "--out", str(bad)]) == 2
    assert "不支持的文件类型" in capsys.readouterr().err
    assert not bad.exists()
